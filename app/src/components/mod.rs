//! Presentational pieces (the page frame, form fields with their French error, tables):
//! they render what they are given and call no server function.

pub mod form;
pub mod layout;
pub mod pagination;
pub mod support;
pub mod table;

pub use form::{Checkbox, ErrorSummary, Field, Notice, SelectField, TextAreaField};
pub use layout::Layout;
pub use pagination::Pagination;
pub use support::SupportContact;
pub use table::DataTable;
