//! How services' answers look in the OpenAPI document. The services (in `journal-app`) know
//! nothing of OpenAPI, so the shapes they return are described here, field for field, and
//! named with `#[schema(value_type = …)]` where they appear.
#![allow(dead_code)] // only read by the OpenAPI derive

use utoipa::ToSchema;

/// An item left out of a list because it can't be opened.
#[derive(ToSchema)]
pub struct DamagedItem {
    /// The item's id; its own address answers 422 `item_damaged`.
    pub id: String,
    /// When it is for: an entry's `YYYY-MM-DD`, a check-in's time (RFC 3339).
    pub date: String,
}

/// A milestone reached, computed from the person's own records.
#[derive(ToSchema)]
pub struct Achievement {
    pub id: String,
    pub kind: String,
    pub title: String,
    /// `YYYY-MM-DD`
    pub earned_at: String,
}

#[derive(ToSchema)]
pub struct Counts {
    pub entries: usize,
    pub moods: usize,
    pub assessments: usize,
    pub goals: usize,
    pub custom_prompts: usize,
    pub safety_plan: bool,
}

#[derive(ToSchema)]
pub struct Preview {
    pub format: String,
    /// Everything in the file.
    pub counts: Counts,
    /// What is new (not imported before).
    pub new: Counts,
    /// First and last day, `YYYY-MM-DD`.
    pub date_range: Option<(String, String)>,
    /// A few of the first records, shortened.
    pub samples: Vec<String>,
    /// Photos and other attachments that will be left out.
    pub skipped_attachments: usize,
    /// Records that can't be imported as they are; while any remain, nothing is imported.
    pub problems: Vec<String>,
}

#[derive(ToSchema)]
pub struct Imported {
    pub imported: Counts,
    /// Records already imported before, left alone.
    pub skipped: usize,
}
