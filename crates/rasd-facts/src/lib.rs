//! Facts for rasd: Arabic named-entity recognition, entity linking, quotes with speakers, figures.
