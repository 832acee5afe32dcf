//! The contact and session panels' own update: which contact they show, loading its contact, session,
//! comments and files, and folding sections. Which conversation is shown (the open thread's, else the
//! selected row's) is decided by the root and handed in.

use super::{Detail, Effect, Load, Msg, Purpose, Requests};
use crate::domain::{Capability, Clean};
use crate::domain::{Comment, Contact, Conversation, FileRef, SessionData};
use crate::protocol::Request;

/// How long the selection must rest on a row before its details are asked for.
pub const REST_DELAY: std::time::Duration = std::time::Duration::from_millis(100);

impl Detail {
    /// The panels now follow conversation `shown` (id and contact id), or nothing. `at_once` skips the
    /// wait for the selection to rest (a thread is open). Another conversation of the same contact keeps
    /// the panels as they are.
    pub fn follow(
        &mut self,
        shown: Option<(Clean, Option<Clean>)>,
        at_once: bool,
        unavailable: &[Capability],
        out: &mut Requests,
    ) -> Vec<Effect> {
        let Some((id, contact_id)) = shown else {
            *self = Detail::default();
            return vec![];
        };
        if self.conversation_id.as_deref() == Some(id.as_str()) && self.contact_id == contact_id {
            return vec![];
        }
        let same_contact = contact_id.is_some() && self.contact_id == contact_id;
        *self = if same_contact {
            Detail { conversation_id: Some(id.clone()), ..std::mem::take(self) }
        } else {
            Detail { conversation_id: Some(id.clone()), contact_id, ..Detail::default() }
        };
        if same_contact || self.contact_id.is_none() {
            return vec![];
        }
        if at_once {
            return self.rested(&id, unavailable, out);
        }
        vec![Effect::Debounce { delay: REST_DELAY, msg: Box::new(Msg::Rested(id)) }]
    }

    /// The selection rested on conversation `id`: what is not loaded yet and the server has is asked for.
    pub fn rested(&mut self, id: &str, unavailable: &[Capability], out: &mut Requests) -> Vec<Effect> {
        if self.conversation_id.as_deref() != Some(id) {
            return vec![];
        }
        let Some(contact_id) = self.contact_id.clone() else { return vec![] };
        let mut effects = Vec::new();
        if matches!(self.contact, Load::Idle | Load::Failed(_)) {
            self.contact = Load::Loading;
            effects.push(out.send(Purpose::Contact(contact_id.clone()), Request::Contact(contact_id.clone())));
        }
        if matches!(self.session, Load::Idle | Load::Failed(_)) {
            self.session = Load::Loading;
            effects.push(out.send(Purpose::Session(contact_id.clone()), Request::SessionData(contact_id.clone())));
        }
        // What the server cannot list shows as nothing, with no error about it.
        if matches!(self.comments, Load::Idle | Load::Failed(_)) {
            if unavailable.contains(&Capability::Comments) {
                self.comments = Load::Ready(vec![]);
            } else {
                self.comments = Load::Loading;
                effects.push(out.send(Purpose::Comments(contact_id.clone()), Request::Comments(contact_id.clone())));
            }
        }
        if matches!(self.files, Load::Idle | Load::Failed(_)) {
            if unavailable.contains(&Capability::Files) {
                self.files = Load::Ready(vec![]);
            } else {
                self.files = Load::Loading;
                effects.push(out.send(Purpose::Files(contact_id.clone()), Request::Files(contact_id)));
            }
        }
        effects
    }

    /// True when the panels show contact `contact_id`.
    pub fn shows(&self, contact_id: &str) -> bool {
        self.contact_id.as_deref() == Some(contact_id)
    }

    /// Reads the shown contact again (a change touched it); `None` when another is shown.
    pub fn reread(&self, contact_id: &Clean, out: &mut Requests) -> Option<Effect> {
        self.shows(contact_id)
            .then(|| out.send(Purpose::Contact(contact_id.clone()), Request::Contact(contact_id.clone())))
    }

    /// Comments arrived.
    pub fn comments_loaded(&mut self, contact_id: &str, comments: Vec<Comment>) {
        if self.shows(contact_id) {
            self.comments = Load::Ready(comments);
        }
    }

    /// Files arrived.
    pub fn files_loaded(&mut self, contact_id: &str, files: Vec<FileRef>) {
        if self.shows(contact_id) {
            self.files = Load::Ready(files);
        }
    }

    /// The contact arrived (or was saved).
    pub fn contact_loaded(&mut self, contact_id: &str, contact: Contact) {
        if self.shows(contact_id) {
            self.contact = Load::Ready(contact);
        }
    }

    /// The session arrived: its sections start folded as the panel config says.
    pub fn session_loaded(&mut self, contact_id: &str, data: SessionData) {
        if self.shows(contact_id) {
            self.collapsed =
                data.panel.sections.iter().map(|s| (s.id.clone(), s.collapsible && s.default_collapsed)).collect();
            self.section = 0;
            self.session = Load::Ready(data);
        }
    }

    /// The contact could not be read: a copy shown already stays, else the cached one, else the reason.
    pub fn contact_failed(&mut self, contact_id: &str, reason: &str, cached: Option<&Contact>) {
        if !self.shows(contact_id) || self.contact.ready().is_some() {
            return;
        }
        self.contact = cached.cloned().map(Load::Ready).unwrap_or_else(|| Load::Failed(reason.to_string()));
    }

    /// The session could not be read: the cached one, else the reason.
    pub fn session_failed(&mut self, contact_id: &str, reason: &str, cached: Option<&SessionData>) {
        if self.shows(contact_id) {
            self.session = cached.cloned().map(Load::Ready).unwrap_or_else(|| Load::Failed(reason.to_string()));
        }
    }

    /// Comments could not be read.
    pub fn comments_failed(&mut self, contact_id: &str, reason: &str) {
        if self.shows(contact_id) {
            self.comments = Load::Failed(reason.to_string());
        }
    }

    /// Files could not be read.
    pub fn files_failed(&mut self, contact_id: &str, reason: &str) {
        if self.shows(contact_id) {
            self.files = Load::Failed(reason.to_string());
        }
    }

    /// A comment was added: it shows first.
    pub fn comment_added(&mut self, c: Comment) {
        if let Load::Ready(list) = &mut self.comments {
            list.insert(0, c);
        }
    }

    /// A conversation changed: the contact it carries updates the shown contact's fields it has.
    pub fn conversation_changed(&mut self, c: &Conversation) {
        if let Load::Ready(contact) = &mut self.contact
            && contact.id == c.contact_id
        {
            contact.merge_from(&c.contact);
        }
    }

    /// Space/Enter in the session panel: folds or unfolds the focused section.
    pub fn toggle_section(&mut self) {
        let Some(session) = self.session.ready() else { return };
        let Some(section) = session.panel.sections.get(self.section) else { return };
        if section.collapsible {
            let folded = self.collapsed.entry(section.id.clone()).or_insert(false);
            *folded = !*folded;
        }
    }

    /// Moves the session panel's section cursor.
    pub fn move_section(&mut self, delta: isize) {
        let sections = self.session.ready().map(|s| s.panel.sections.len()).unwrap_or(0);
        self.section = super::list::step(self.section, sections, delta);
    }

    /// Scrolls the contact panel (clamped when drawn: the panel knows how many lines it has).
    pub fn scroll_contact(&mut self, delta: isize) {
        self.contact_scroll = (self.contact_scroll as isize).saturating_add(delta).clamp(0, 10_000) as usize;
    }
}

/// True when the session section `section_id` is folded.
pub fn is_collapsed(detail: &Detail, section_id: &str) -> bool {
    detail.collapsed.get(section_id).copied().unwrap_or(false)
}
