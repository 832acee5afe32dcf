//! The canned-response flow across features: it opens over the composer, fills what tinbox knows from the
//! composer's conversation and the agent, and inserts the text into that composer (after a form, if the
//! response has placeholders of its own).

use super::AppState;
use crate::app::canned::{Chosen, known_values};
use crate::app::{Action, Effect, FormKind, PickerKind};
use crate::domain::{Capability, fill};

impl AppState {
    /// Ctrl-G in the composer: the canned picker for the composer's conversation.
    pub(super) fn open_canned(&mut self) -> Vec<Effect> {
        if self.account.unavailable.contains(&Capability::CannedResponses) {
            self.set_error("canned responses are not available on this server");
            return vec![];
        }
        let Some(id) = self.compose.open.as_ref().filter(|c| c.accepts_input()).map(|c| c.conversation_id.clone())
        else {
            return vec![];
        };
        self.overlays.open_canned(id, &mut self.requests)
    }

    /// A key in the canned picker: Enter chooses.
    pub(super) fn canned_picker_action(&mut self, a: Action) -> Option<Vec<Effect>> {
        if self.overlays.picker.as_ref().is_none_or(|p| p.kind != PickerKind::Canned) {
            return None;
        }
        if a != Action::Open {
            self.overlays.picker_action(a, &self.account);
            return Some(vec![]);
        }
        let id = self.overlays.canned.as_ref().map(|(id, _)| id.clone())?;
        let conversation = self.thread.as_ref().filter(|t| t.is(&id)).and_then(|t| t.conversation.ready());
        let conversation = conversation.or_else(|| self.list.get(&id));
        let contact = conversation.map(|c| c.contact.clone()).unwrap_or_default();
        let me = self.account.me.as_ref().map(|m| m.name.to_string());
        let known = known_values(&contact.name, contact.phone.as_deref(), me.as_deref());
        let (chosen, used) = self.overlays.canned_chosen(&known, &mut self.requests)?;
        let mut effects = vec![used];
        if let Chosen::Insert(text) = chosen {
            effects.extend(self.insert_canned(&id, &text));
        }
        Some(effects)
    }

    /// A key in an open form: the canned form inserts its text on Enter; every other form is the overlays'.
    pub(super) fn form_action(&mut self, a: Action) -> Vec<Effect> {
        let canned = match self.overlays.form.as_ref().map(|f| &f.kind) {
            Some(FormKind::Canned { conversation_id, text }) if a == Action::Open => {
                Some((conversation_id.clone(), text.clone()))
            }
            _ => None,
        };
        let Some((id, text)) = canned else { return self.overlays.form_action(a, &mut self.requests) };
        let Some(form) = self.overlays.form.as_mut() else { return vec![] };
        if form.fields.iter().any(|f| f.value.trim().is_empty()) {
            for f in form.fields.iter_mut().filter(|f| f.value.trim().is_empty()) {
                f.error = Some("this needs filling in".into());
            }
            form.error = Some("Fill in every field; nothing was inserted.".into());
            return vec![];
        }
        let values: Vec<(String, String)> = form.fields.iter().map(|f| (f.label.clone(), f.value.clone())).collect();
        self.overlays.form = None;
        self.insert_canned(&id, &fill(&text, &values))
    }

    /// The text goes into conversation `id`'s composer, if that composer is still the open one.
    fn insert_canned(&mut self, id: &str, text: &str) -> Vec<Effect> {
        if self.compose.open.as_ref().is_none_or(|c| c.conversation_id != id) {
            self.set_error("The composer it was for is closed: nothing was inserted.");
            return vec![];
        }
        self.compose.insert(text)
    }
}
