//! Facts of one article: title and body in, entity mentions linked to
//! canonical entities, quotes with resolved speakers, and figures out.
//!
//! The [`Linker`] is passed in so entities link across all the articles of
//! a run; names are read from it when the facts are rendered
//! ([`ArticleFacts::render`]), so a later, fuller name («مصطفى الكاظمي»
//! after «الكاظمي») shows for earlier articles too.

use crate::figures::{figures, Figure};
use crate::link::Linker;
use crate::quotes::quotes;
use crate::recognize::{mentions, Mention};
use crate::tags::EntityType;
use crate::Model;
use serde::Serialize;

/// Facts found in one article, with entity ids into the run's [`Linker`].
#[derive(Debug, Clone)]
pub struct ArticleFacts {
    mentions: Vec<(Mention, usize)>,
    quotes: Vec<(String, Option<usize>, String)>,
    figures: Vec<Figure>,
}

/// An entity mention as shown: surface, type and canonical entity name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityOut {
    pub text: String,
    #[serde(rename = "type")]
    pub ty: EntityType,
    pub entity: String,
}

/// A quote as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuoteOut {
    pub speaker: String,
    pub speaker_entity: Option<String>,
    pub text: String,
}

/// Rendered facts of an article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rendered {
    pub entities: Vec<EntityOut>,
    pub quotes: Vec<QuoteOut>,
    pub figures: Vec<Figure>,
}

/// Longest speaker phrase, in words, looked up by name when no mention
/// was recognized in it.
const MAX_RESOLVED_SPEAKER_WORDS: usize = 2;

/// Facts of an article before linking: what [`find_facts`] sees in the
/// text alone, so articles can be read in parallel and linked in order.
#[derive(Debug, Clone)]
pub struct FoundFacts {
    mentions: Vec<Mention>,
    /// (speaker phrase, index of its first person or organization mention, text).
    quotes: Vec<(String, Option<usize>, String)>,
    figures: Vec<Figure>,
}

/// Finds the facts of an article (`title`, then `body`).
pub fn article_facts(
    model: &Model,
    linker: &mut Linker,
    title: Option<&str>,
    body: &str,
) -> ArticleFacts {
    link_facts(find_facts(model, title, body), linker)
}

/// The text-only half of [`article_facts`]: no linker, so it runs on any thread.
/// Mention offsets are in `title + "\n\n" + body` (or `body` without a title).
pub fn find_facts(model: &Model, title: Option<&str>, body: &str) -> FoundFacts {
    let text = match title {
        Some(t) if !t.trim().is_empty() => format!("{t}\n\n{body}"),
        _ => body.to_owned(),
    };
    let found = mentions(model, &text);
    let quotes = quotes(&text)
        .into_iter()
        .map(|q| {
            let (s, e) = q.speaker;
            // The first person or organization named inside the speaker phrase.
            let entity = found.iter().position(|m| {
                m.start < e
                    && s < m.end
                    && matches!(m.ty, EntityType::Person | EntityType::Organization)
            });
            (text[s..e].trim().to_owned(), entity, q.text)
        })
        .collect();
    FoundFacts {
        figures: figures(&text),
        mentions: found,
        quotes,
    }
}

/// The linking half of [`article_facts`]: links the mentions in order.
pub fn link_facts(found: FoundFacts, linker: &mut Linker) -> ArticleFacts {
    let linked: Vec<(Mention, usize)> = found
        .mentions
        .into_iter()
        .map(|m| {
            let id = linker.link(&m.text, m.ty);
            (m, id)
        })
        .collect();
    let quotes = found
        .quotes
        .into_iter()
        .map(|(speaker, mention, text)| {
            // A speaker the recognizer missed («وتقول سترول») may still be
            // a known person's short name.
            let entity = mention.map(|i| linked[i].1).or_else(|| {
                (speaker.split_whitespace().count() <= MAX_RESOLVED_SPEAKER_WORDS)
                    .then(|| linker.resolve(&speaker, EntityType::Person))
                    .flatten()
            });
            (speaker, entity, text)
        })
        .collect();
    ArticleFacts {
        mentions: linked,
        quotes,
        figures: found.figures,
    }
}

impl ArticleFacts {
    /// Each mention with its entity id in the linker.
    pub fn mentions(&self) -> &[(Mention, usize)] {
        &self.mentions
    }

    /// Each quote: the speaker phrase, its entity id if one is named, the text.
    pub fn quotes(&self) -> &[(String, Option<usize>, String)] {
        &self.quotes
    }

    pub fn figures(&self) -> &[Figure] {
        &self.figures
    }

    /// The facts with entity names as the linker knows them now.
    pub fn render(&self, linker: &Linker) -> Rendered {
        Rendered {
            entities: self
                .mentions
                .iter()
                .map(|(m, id)| EntityOut {
                    text: m.text.clone(),
                    ty: m.ty,
                    entity: linker.entity(*id).name.clone(),
                })
                .collect(),
            quotes: self
                .quotes
                .iter()
                .map(|(speaker, id, text)| QuoteOut {
                    speaker: speaker.clone(),
                    speaker_entity: id.map(|id| linker.entity(id).name.clone()),
                    text: text.clone(),
                })
                .collect(),
            figures: self.figures.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_quotes_and_figures_of_an_article() {
        let mut linker = Linker::with_gazetteer(Model::embedded().gazetteer().clone());
        let body = "وقال وزير الدفاع الأمريكي لويد أوستن إن \"نحو 2500 جندي سيبقون في العراق\".\n\
                    وأضاف أوستن أن بغداد شريك مهم.";
        let facts = article_facts(Model::embedded(), &mut linker, Some("أوستن في بغداد"), body);
        let shown = facts.render(&linker);
        assert!(
            shown.entities.iter().any(|e| e.entity == "لويد أوستن"),
            "{shown:?}"
        );
        // Every «أوستن» links to the full name.
        for e in shown.entities.iter().filter(|e| e.text.contains("أوستن")) {
            assert_eq!(e.entity, "لويد أوستن");
        }
        assert_eq!(shown.quotes.len(), 1, "{shown:?}");
        assert_eq!(
            shown.quotes[0].speaker_entity.as_deref(),
            Some("لويد أوستن")
        );
        assert!(
            shown
                .figures
                .iter()
                .any(|f| f.value == 2500.0 && f.unit == "جندي"),
            "{shown:?}"
        );
    }
}
