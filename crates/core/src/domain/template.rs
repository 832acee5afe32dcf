//! Prepared text with `{{placeholders}}`: WhatsApp message templates (after the 24-hour window closes, an
//! approved template is the only message that goes out; its body names parameters as `{{1}}` or
//! `{{order_id}}`, filled in before sending) and canned responses (text an agent inserts into any reply).

use crate::text::{Clean, CleanText};
use serde::{Deserialize, Serialize};

/// An approved template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    /// Its name, which is what a send names.
    pub name: Clean,
    /// Its language code.
    pub language: Clean,
    /// MARKETING, UTILITY, AUTHENTICATION….
    pub category: Clean,
    /// The body, with its `{{parameters}}`.
    pub body: CleanText,
}

/// A template to send, with its parameters filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateSend {
    /// The template's name.
    pub name: Clean,
    /// Its language.
    pub language: Clean,
    /// Each parameter's name (`1`, `order_id`) and value, in the body's order.
    pub params: Vec<(String, String)>,
}

/// A canned response: prepared text an agent inserts into a reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Canned {
    /// Server id.
    pub id: Clean,
    /// Its name.
    pub name: Clean,
    /// The shortcut agents know it by (`/refund`), if any.
    pub shortcut: Clean,
    /// The text, with its `{{placeholders}}`.
    pub content: CleanText,
}

/// The `{{placeholder}}` names in `text`, each once, in the order they first appear.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        let name = after[..close].trim().to_string();
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
        rest = &after[close + 2..];
    }
    out
}

/// `text` with `values` (by name) in place of its placeholders; one without a value stays visible as `{{name}}`.
pub fn fill(text: &str, values: &[(String, String)]) -> String {
    let mut text = text.to_string();
    for (name, value) in values.iter().filter(|(_, v)| !v.trim().is_empty()) {
        for written in [format!("{{{{{name}}}}}"), format!("{{{{ {name} }}}}")] {
            text = text.replace(&written, value.trim());
        }
    }
    text
}

impl Template {
    /// The body's parameter names, each once, in the order they first appear.
    pub fn params(&self) -> Vec<String> {
        placeholders(&self.body)
    }

    /// The body as the customer will read it with `values` (by name); a parameter without a value stays
    /// visible as `{{name}}`.
    pub fn render(&self, values: &[(String, String)]) -> String {
        fill(&self.body, values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(body: &str) -> Template {
        Template { name: "t".into(), language: "en".into(), category: "UTILITY".into(), body: body.into() }
    }

    #[test]
    fn parameters_positional_or_named_once_each_in_order() {
        let order = t("Hi {{1}}, order {{order_id}} ships {{2}}. Thanks {{1}}!");
        assert_eq!(order.params(), ["1", "order_id", "2"]);
        assert!(t("No parameters").params().is_empty());
        assert_eq!(t("Broken {{1").params(), Vec::<String>::new());
        let values = vec![("1".into(), "Ana".into()), ("order_id".into(), "A-1".into())];
        assert_eq!(order.render(&values), "Hi Ana, order A-1 ships {{2}}. Thanks Ana!");
    }
}
