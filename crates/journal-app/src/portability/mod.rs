//! A person's data going out (the export) and coming in (imports from other apps).

pub mod export;
pub mod import;
