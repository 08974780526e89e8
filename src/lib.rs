//! # newstrace
//!
//! For a pile of news articles: which report the same story, who wrote it first, who copied,
//! rewrote or machine-spun whom, which passages were taken.
//!
//! The engine is one pipeline, a module per stage, each taking the previous stage's type:
//! [`read`] → [`extract`] → [`normalize`] → [`fingerprint`] → [`candidates`] → [`align`] →
//! [`judge`] → [`lineage`] → [`stories`], run end to end by [`pipeline`]. The types are plain Rust; the JSON
//! and HTML of the command-line contract live in the binary, at the edge.
//!
//! The public façade is [`pipeline::load`], [`pipeline::analyze`] and [`pipeline::compare`],
//! with the domain types of [`article`], [`judge`] and [`align`].

pub mod align;
pub mod article;
pub mod candidates;
pub mod changes;
pub mod credits;
pub mod disagree;
pub mod extract;
pub mod fingerprint;
pub mod groups;
pub mod index;
pub mod judge;
pub mod lineage;
pub mod names;
pub mod normalize;
pub mod numbers;
pub mod pipeline;
pub mod read;
pub mod stories;
pub mod synonyms;
pub mod synth;

pub use article::{Article, CharSpan, Credit, CreditKind, DocId};
pub use judge::{Relation, Reuse};
pub use pipeline::{analyze, compare, load, Analysis, Config, Story};
