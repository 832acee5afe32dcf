//! Chatbot session data and the panel layout a flow asks for, read tolerantly: servers store
//! `panel_config` free-form and do not validate it, so anything may arrive.

use super::{ColorRole, DisplayType};
use crate::text::{Clean, clean_line};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// What the chatbot learned about a contact, and how to lay it out.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SessionData {
    /// The chatbot session id.
    pub session_id: Option<Clean>,
    /// The flow that collected the data.
    pub flow_id: Option<Clean>,
    /// The flow's name, used as the panel title.
    pub flow_name: Option<Clean>,
    /// Collected variables, rendered as text.
    pub values: BTreeMap<Clean, Clean>,
    /// How to lay the values out.
    pub panel: PanelConfig,
}

/// The layout of the session panel: sections in display order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PanelConfig {
    /// Sections, sorted by `order` (ties keep server order).
    pub sections: Vec<PanelSection>,
    /// True when parts of the config could not be read and were left out.
    pub malformed: bool,
}

/// One section of the session panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelSection {
    /// Section id (falls back to its position).
    pub id: Clean,
    /// Heading.
    pub label: Clean,
    /// 1 or 2; anything else is read as 1, as the reference web UI does.
    pub columns: u8,
    /// Whether the agent may fold it.
    pub collapsible: bool,
    /// Whether it starts folded (only when collapsible).
    pub default_collapsed: bool,
    /// Fields in display order.
    pub fields: Vec<PanelField>,
}

/// One field of a section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelField {
    /// The `session_data` key it shows.
    pub key: Clean,
    /// Its label (falls back to the key).
    pub label: Clean,
    /// Plain text, badge or tag.
    pub display_type: DisplayType,
    /// Colour role.
    pub color: ColorRole,
}

impl SessionData {
    /// True when there is no chatbot session to show.
    pub fn is_empty(&self) -> bool {
        self.session_id.is_none()
            && self.flow_name.is_none()
            && self.values.is_empty()
            && self.panel.sections.is_empty()
    }

    /// Reads the `data` of a session-data response, whatever its shape.
    pub fn from_value(v: &Value) -> Self {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(Clean::new).filter(|s| !s.is_empty());
        let values = match v.get("session_data") {
            Some(Value::Object(map)) => map.iter().map(|(k, v)| (Clean::new(k), Clean::new(&value_text(v)))).collect(),
            _ => BTreeMap::new(),
        };
        SessionData {
            session_id: s("session_id"),
            flow_id: s("flow_id"),
            flow_name: s("flow_name"),
            values,
            panel: v.get("panel_config").map(PanelConfig::from_value).unwrap_or_default(),
        }
    }
}

/// Renders a JSON value as the text an agent reads.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => clean_line(s),
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        other => clean_line(&other.to_string()),
    }
}

fn order_of(v: &Value) -> i64 {
    match v.get("order") {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(i64::MAX),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(i64::MAX),
        _ => i64::MAX,
    }
}

fn bool_of(v: &Value, key: &str) -> Option<bool> {
    match v.get(key) {
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) => Some(matches!(s.as_str(), "true" | "1" | "yes")),
        Some(Value::Number(n)) => Some(n.as_i64() == Some(1)),
        _ => None,
    }
}

fn text_of(v: &Value, key: &str) -> Option<String> {
    match v.get(key) {
        Some(Value::String(s)) => Some(clean_line(s)).filter(|s| !s.is_empty()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

impl PanelConfig {
    /// Reads a `panel_config` value, keeping every section and field that can be made sense of.
    pub fn from_value(v: &Value) -> Self {
        let mut malformed = false;
        let raw_sections = match v.get("sections") {
            Some(Value::Array(list)) => list.as_slice(),
            None | Some(Value::Null) => &[],
            Some(_) => {
                malformed = true;
                &[]
            }
        };
        let mut ordered: Vec<(i64, usize, &Value)> = raw_sections
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                if s.is_object() {
                    Some((order_of(s), i, s))
                } else {
                    malformed = true;
                    None
                }
            })
            .collect();
        ordered.sort_by_key(|(order, i, _)| (*order, *i));
        let sections = ordered
            .into_iter()
            .map(|(_, i, s)| {
                let (section, bad) = PanelSection::from_value(s, i);
                malformed |= bad;
                section
            })
            .collect();
        PanelConfig { sections, malformed }
    }
}

impl PanelSection {
    fn from_value(s: &Value, index: usize) -> (Self, bool) {
        let mut malformed = false;
        let id = text_of(s, "id").unwrap_or_else(|| format!("section-{}", index + 1));
        let label = text_of(s, "label").unwrap_or_else(|| {
            malformed = true;
            text_of(s, "id").unwrap_or_else(|| format!("Section {}", index + 1))
        });
        let columns = match s.get("columns").and_then(Value::as_u64) {
            Some(2) => 2,
            Some(1) | None => 1,
            Some(_) => {
                malformed = true;
                1
            }
        };
        let collapsible = bool_of(s, "collapsible").unwrap_or(false);
        let default_collapsed = collapsible && bool_of(s, "default_collapsed").unwrap_or(false);
        let raw_fields = match s.get("fields") {
            Some(Value::Array(list)) => list.as_slice(),
            None | Some(Value::Null) => &[],
            Some(_) => {
                malformed = true;
                &[]
            }
        };
        let mut ordered: Vec<(i64, usize, &Value)> =
            raw_fields.iter().enumerate().map(|(i, f)| (order_of(f), i, f)).collect();
        ordered.sort_by_key(|(order, i, _)| (*order, *i));
        let fields = ordered
            .into_iter()
            .filter_map(|(_, _, f)| {
                let key = match f {
                    Value::String(k) => Some(clean_line(k)),
                    _ => text_of(f, "key"),
                };
                let Some(key) = key.filter(|k| !k.is_empty()) else {
                    malformed = true;
                    return None;
                };
                Some(PanelField {
                    label: Clean::new(&text_of(f, "label").unwrap_or_else(|| key.clone())),
                    display_type: text_of(f, "display_type").map(DisplayType::from).unwrap_or(DisplayType::Text),
                    color: text_of(f, "color").map(ColorRole::from).unwrap_or(ColorRole::Default),
                    key: Clean::new(&key),
                })
            })
            .collect();
        (
            PanelSection {
                id: Clean::new(&id),
                label: Clean::new(&label),
                columns,
                collapsible,
                default_collapsed,
                fields,
            },
            malformed,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_documented_shape() {
        let v = json!({"session_id":"s","flow_name":"Support","session_data":{"a":"x","n":3},
            "panel_config":{"sections":[
              {"id":"o","label":"Order","columns":2,"collapsible":true,"default_collapsed":true,"order":2,
               "fields":[{"key":"n","label":"N","order":2},{"key":"a","label":"A","order":1,"display_type":"badge","color":"success"}]},
              {"id":"c","label":"Customer","columns":1,"collapsible":false,"default_collapsed":true,"order":1,"fields":[]}]}});
        let s = SessionData::from_value(&v);
        assert_eq!(s.flow_name.as_deref(), Some("Support"));
        assert_eq!(s.values["n"], "3");
        let p = &s.panel;
        assert!(!p.malformed);
        assert_eq!(p.sections[0].label, "Customer");
        assert!(!p.sections[0].default_collapsed, "not collapsible, so never collapsed");
        assert_eq!(p.sections[1].columns, 2);
        assert_eq!(p.sections[1].fields[0].key, "a");
        assert_eq!(p.sections[1].fields[0].display_type, DisplayType::Badge);
        assert_eq!(p.sections[1].fields[0].color, ColorRole::Success);
    }

    #[test]
    fn survives_malformed_configs() {
        for bad in [
            json!({"sections": "nope"}),
            json!({"sections": [1, null, {"columns": 7, "fields": [{"label": "no key"}, "plain"]}]}),
            json!({"sections": [{"order": 1, "label": "A"}, {"order": 1, "label": "B"}]}),
            json!(null),
            json!([]),
        ] {
            let p = PanelConfig::from_value(&bad);
            for s in &p.sections {
                assert!(s.columns == 1 || s.columns == 2);
                assert!(!s.label.is_empty());
            }
        }
        let p = PanelConfig::from_value(&json!({"sections": [1, {"columns": 7, "fields": [{"label": "x"}, "plain"]}]}));
        assert!(p.malformed);
        assert_eq!(p.sections.len(), 1);
        assert_eq!(p.sections[0].columns, 1);
        assert_eq!(p.sections[0].fields.len(), 1);
        assert_eq!(p.sections[0].fields[0].key, "plain");
        let dup =
            PanelConfig::from_value(&json!({"sections": [{"order": 1, "label": "A"}, {"order": 1, "label": "B"}]}));
        assert_eq!(dup.sections.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(), ["A", "B"]);
    }
}
