//! Canned responses: prepared text inserted into a reply. Picked with a fuzzy filter; the placeholders tinbox
//! knows (`{{contact_name}}`, `{{phone_number}}`, `{{agent_name}}`) are filled from the conversation and the
//! agent, and any other placeholder is asked for in a small form before the text goes into the composer.

use super::{Effect, Field, Form, FormKind, Overlays, PickItem, Picker, PickerKind, Purpose, Requests};
use crate::domain::{Canned, Clean, fill, placeholders};
use crate::protocol::Request;

/// What a chosen canned response becomes: text ready for the composer, or a form for what tinbox cannot know.
#[derive(Debug, Clone, PartialEq)]
pub enum Chosen {
    /// Insert this text.
    Insert(String),
    /// A form asks for the remaining placeholders.
    Form,
}

/// The values tinbox fills in itself, by placeholder name.
pub fn known_values(contact_name: &str, phone: Option<&str>, agent_name: Option<&str>) -> Vec<(String, String)> {
    let mut values = vec![("contact_name".to_string(), contact_name.to_string())];
    values.extend(phone.map(|p| ("phone_number".to_string(), p.to_string())));
    values.extend(agent_name.map(|a| ("agent_name".to_string(), a.to_string())));
    values
}

impl Overlays {
    /// Ctrl-G in the composer of conversation `id`: the canned picker, loading.
    pub fn open_canned(&mut self, id: Clean, out: &mut Requests) -> Vec<Effect> {
        let mut picker = Picker::new(PickerKind::Canned, " Insert a canned response ".into(), vec![]);
        picker.loading = true;
        self.picker = Some(picker);
        self.canned = Some((id.clone(), Vec::new()));
        vec![out.send(Purpose::Canned(id), Request::CannedResponses)]
    }

    /// The canned responses arrived (for the composer of conversation `id`).
    pub fn canned_arrived(&mut self, id: Clean, list: Vec<Canned>) {
        if self.canned.as_ref().is_none_or(|(open_for, _)| *open_for != id) {
            return;
        }
        let Some(p) = self.picker.as_mut().filter(|p| p.kind == PickerKind::Canned) else { return };
        let items = list
            .iter()
            .map(|c| PickItem {
                id: c.id.clone(),
                label: if c.shortcut.is_empty() { c.name.to_string() } else { format!("{} {}", c.shortcut, c.name) },
                detail: c.content.lines().next().unwrap_or("").to_string(),
                checked: false,
                initially: false,
            })
            .collect();
        p.arrived(items, "There are no canned responses on this server yet.");
        self.canned = Some((id, list));
    }

    /// Enter in the canned picker, with the values tinbox knows: the text to insert at once, or a form for
    /// the placeholders left (the use is counted either way).
    pub fn canned_chosen(&mut self, known: &[(String, String)], out: &mut Requests) -> Option<(Chosen, Effect)> {
        let chosen = self.picker.as_ref().and_then(|p| p.current()).map(|it| it.id.clone())?;
        let (id, canned) = self
            .canned
            .as_ref()
            .and_then(|(id, list)| list.iter().find(|c| c.id == chosen).map(|c| (id.clone(), c.clone())))?;
        self.picker = None;
        let used = out.send(Purpose::CannedUsed, Request::CannedUsed(canned.id.clone()));
        let text = fill(&canned.content, known);
        let left = placeholders(&text);
        if left.is_empty() {
            return Some((Chosen::Insert(text), used));
        }
        let fields = left.into_iter().map(|p| Field { label: p, value: String::new(), error: None }).collect();
        self.form = Some(Form {
            kind: FormKind::Canned { conversation_id: id, text },
            fields,
            focus: 0,
            sending: false,
            error: None,
        });
        Some((Chosen::Form, used))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_tinbox_knows_is_filled_and_the_rest_is_left_to_ask() {
        let known = known_values("Omar Haddad", Some("+4915112345"), Some("Ana Lima"));
        let text = fill("Hi {{contact_name}}, this is {{ agent_name }}. Refund in {{days}} days.", &known);
        assert_eq!(text, "Hi Omar Haddad, this is Ana Lima. Refund in {{days}} days.");
        assert_eq!(placeholders(&text), ["days"]);
        // Without a phone, its placeholder stays to be asked for rather than vanishing.
        let known = known_values("Omar", None, None);
        assert_eq!(placeholders(&fill("Call {{phone_number}}", &known)), ["phone_number"]);
    }
}
