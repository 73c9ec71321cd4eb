//! The OpenAPI 3.1 document of the JSON API, written by hand as a static
//! asset (`openapi.json`, embedded) rather than generated: the API is small,
//! and a generator would add a large proc-macro build to every clean build.
//! A test checks that it parses and names every API route.

/// The document served at `/openapi.json`.
pub const OPENAPI_JSON: &str = include_str!("openapi.json");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_parses_and_lists_every_route() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI_JSON).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        let paths = doc["paths"].as_object().unwrap();
        for route in [
            "/api/stories",
            "/api/stories/{id}",
            "/api/topics",
            "/api/topics/{id}",
            "/api/articles",
            "/api/articles/{id}",
            "/api/entities",
            "/api/entities/{id}",
            "/api/quotes",
            "/api/search",
            "/api/stats",
            "/api/pages",
            "/health",
            "/metrics",
        ] {
            assert!(paths.contains_key(route), "{route} is not documented");
        }
    }
}
