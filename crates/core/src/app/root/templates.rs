//! The template flow across features: it opens on the open thread (or the selected row) and puts any
//! composer away as its draft; a sent template shows in the thread and is watched like any reply.

use super::AppState;
use crate::app::{Action, Effect, MessageKind, PickerKind};
use crate::domain::{Capability, Clean, DeliveryStatus, Message};
use crate::protocol::BackendError;

impl AppState {
    /// `T`, or Ctrl-T in the composer: the template picker for the open thread's conversation.
    pub(super) fn open_templates(&mut self) -> Vec<Effect> {
        if self.account.unavailable.contains(&Capability::Templates) {
            self.set_error("templates are not available on this server");
            return vec![];
        }
        let target = match (&self.thread, &self.compose.open) {
            (_, Some(c)) => Some(c.conversation_id.clone()),
            (Some(t), None) => Some(t.conversation_id.clone()),
            (None, None) => self.list.selected().map(|c| c.id.clone()),
        };
        let Some(id) = target else {
            self.set_error("Select a conversation to send a template to.");
            return vec![];
        };
        let channel =
            self.thread.as_ref().filter(|t| t.is(&id)).and_then(|t| t.conversation.ready()).map(|c| &c.channel);
        if let Some(channel) = channel.or_else(|| self.list.get(&id).map(|c| &c.channel))
            && *channel != crate::domain::Channel::Whatsapp
        {
            self.set_error("Templates are WhatsApp's: this conversation is not on WhatsApp.");
            return vec![];
        }
        // What the composer holds is kept as its own draft.
        let mut effects = if self.compose.open.is_some() { self.close_composer() } else { vec![] };
        let who = self.list.get(&id).map(|c| c.contact.name.to_string()).unwrap_or_else(|| id.to_string());
        effects.extend(self.overlays.open_templates(id, &who, &mut self.requests));
        effects
    }

    /// A key in the template picker: Enter chooses.
    pub(super) fn template_picker_action(&mut self, a: Action) -> Option<Vec<Effect>> {
        if self.overlays.picker.as_ref().is_none_or(|p| p.kind != PickerKind::Template) {
            return None;
        }
        if a != Action::Open {
            self.overlays.picker_action(a, &self.account);
            return Some(vec![]);
        }
        Some(self.overlays.template_chosen(&mut self.requests))
    }

    /// The server took the template: its form closes and the thread shows it, watched until it goes out.
    pub(super) fn template_sent(&mut self, id: &Clean, m: Message) -> Vec<Effect> {
        self.overlays.form = None;
        self.triage.undo = Some(crate::app::Undo::Sent);
        self.tell(if m.status == DeliveryStatus::Pending {
            "Template handed to the server: the thread shows when it goes out"
        } else {
            "Template sent"
        });
        self.delivery.sent(&m, MessageKind::Reply, None);
        if let Some(t) = self.thread.as_mut().filter(|t| t.is(id)) {
            t.message_created(m);
        }
        vec![]
    }

    /// The template was not sent (or its answer was lost): the form, or the status line, says so.
    pub(super) fn template_failed(&mut self, e: &BackendError) {
        let words = if e.outcome_unknown() {
            "the answer was lost: the template may have been sent — check the thread before sending again".to_string()
        } else {
            crate::app::status::reason(e)
        };
        match self.overlays.form.as_ref() {
            Some(_) => self.overlays.form_refused(words),
            None => self.set_error(format!("The template was not sent: {words}")),
        }
    }
}
