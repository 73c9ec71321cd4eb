//! Page → articles: the extraction stage of rasd.
//!
//! Input: [`rasd_model::Page`]s (text dumps or HTML, already decoded).
//! Output: one or more [`rasd_model::Article`]s per page (a page may carry a
//! second article after «اقرأ أيضاً»), the page's main article first.

pub mod block;
