//! Detection: text units → findings. Patterns are data ([`pattern`]), run by
//! one multi-pattern pass ([`engine`]), decided by validators ([`validate`])
//! and context ([`context`], [`columns`]); [`allow`] drops the organisation's
//! own values.

pub mod address;
pub mod allow;
pub mod barren;
pub mod compiled;
pub mod context;
pub mod crew;
pub mod engine;
pub mod examples;
pub mod lexicon;
pub mod logline;
pub mod marks;
pub mod names;
pub mod path;
pub mod pattern;
pub mod policy;
pub mod prefilter;
mod quote;
pub mod rows;
mod screen;
pub mod validate;
pub mod words;

pub use crate::model::Unit;
pub use engine::{Detector, Engine, Finding};
pub use policy::DEFAULT_MIN_CONFIDENCE;
