//! Presentational pieces: no data access here.

pub mod form;
pub mod layout;
pub mod table;

pub use form::{Checkbox, ErrorSummary, Field, Notice, SelectField, TextAreaField};
pub use layout::Layout;
pub use table::DataTable;
