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

/// Finds the facts of an article (`title`, then `body`).
pub fn article_facts(
    model: &Model,
    linker: &mut Linker,
    title: Option<&str>,
    body: &str,
) -> ArticleFacts {
    let text = match title {
        Some(t) if !t.trim().is_empty() => format!("{t}\n\n{body}"),
        _ => body.to_owned(),
    };
    let found = mentions(model, &text);
    let linked: Vec<(Mention, usize)> = found
        .into_iter()
        .map(|m| {
            let id = linker.link(&m.text, m.ty);
            (m, id)
        })
        .collect();
    let quotes = quotes(&text)
        .into_iter()
        .map(|q| {
            let (s, e) = q.speaker;
            // The first person or organization named inside the speaker phrase.
            let entity = linked
                .iter()
                .filter(|(m, _)| m.start < e && s < m.end)
                .find(|(m, _)| matches!(m.ty, EntityType::Person | EntityType::Organization))
                .map(|(_, id)| *id);
            (text[s..e].trim().to_owned(), entity, q.text)
        })
        .collect();
    ArticleFacts {
        mentions: linked,
        quotes,
        figures: figures(&text),
    }
}

impl ArticleFacts {
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
