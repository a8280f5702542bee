//! Server-only services: every SQL statement, transaction and lock, the audit log, mail,
//! CSV and PDF. They take plain values (ids, parsed domain types) and never see the
//! caller or his session (`auth` is above them); they import only each other, without
//! a circle, and `domain`.

pub mod accounts;
pub mod audit;
pub mod backoffice;
pub mod admin;
pub mod companies;
pub mod confirmation;
pub mod csv;
pub mod db;
pub mod delegations;
pub mod demo;
pub mod documents;
pub mod drafts;
pub mod export;
pub mod mail;
pub mod orders;
pub mod outbox;
pub mod obligations;
pub mod obligation_sharing;
pub mod pdf;
pub mod privacy;
pub mod profile;
pub mod provider;
pub mod recovery;
pub mod retention;
pub mod registrations;
pub mod rights_requests;
pub mod seats;
pub mod second_factor;
pub mod security;
pub mod substitution;
pub mod seed;
pub mod sessions;
pub mod surveys;
pub mod throttle;
pub mod tokens;
pub mod waitlist;
pub mod state;
pub mod catalogue;
pub mod invitations;
pub mod invoicing;
pub mod knowledge;

pub use db::Db;
pub use state::AppState;
