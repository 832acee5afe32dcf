//! The contact and session panels' own update: which contact they show, loading its contact, session,
//! comments and files, and folding sections. Which conversation is shown (the open thread's, else the
//! selected row's) is decided by the root and handed in.

use super::{Detail, Effect, Load, Msg, Panes, Purpose, Requests};
use crate::domain::{Clean, Time};
use crate::domain::{Comment, Contact, Conversation, FileRef, SessionData};
use crate::protocol::{DetailParts, Listed, Request};
use std::collections::HashMap;

/// How long the selection must rest on a row before its details are asked for.
pub const REST_DELAY: std::time::Duration = std::time::Duration::from_millis(100);

impl Detail {
    /// The panels now follow conversation `shown` (id and contact id), or nothing. `at_once` skips the
    /// wait for the selection to rest (a thread is open). Another conversation of the same contact keeps
    /// the panels as they are; a contact seen lately shows its cached panels at once (checked when the
    /// selection rests); any other keeps showing the panels it had, marked as updating, until its own
    /// arrive — except with a thread open, whose panels must never show another customer.
    pub fn follow(
        &mut self,
        shown: Option<(Clean, Option<Clean>)>,
        at_once: bool,
        now: Time,
        out: &mut Requests,
    ) -> Vec<Effect> {
        let cache = std::mem::take(&mut self.cache);
        let Some((id, contact_id)) = shown else {
            *self = Detail { cache, ..Detail::default() };
            return vec![];
        };
        if self.conversation_id.as_deref() == Some(id.as_str()) && self.contact_id == contact_id {
            self.cache = cache;
            return vec![];
        }
        let same_contact = contact_id.is_some() && self.contact_id == contact_id;
        if same_contact {
            *self = Detail { conversation_id: Some(id.clone()), cache, ..std::mem::take(self) };
            return vec![];
        }
        let before_handler =
            if self.contact.ready().is_some() { self.handler.take() } else { self.before_handler.take() };
        let before = if at_once { None } else { self.panes_shown() };
        *self =
            Detail { conversation_id: Some(id.clone()), contact_id: contact_id.clone(), cache, ..Detail::default() };
        let Some(contact_id) = contact_id else { return vec![] };
        match self.cache.get(&contact_id, now).map(|c| c.panes.clone()) {
            Some(panes) => {
                self.show(panes);
                self.checking = true;
            }
            None => {
                self.before = before.map(Box::new);
                self.before_handler = before_handler;
            }
        }
        if at_once {
            return self.rested(&id, out);
        }
        vec![Effect::Debounce { delay: REST_DELAY, msg: Box::new(Msg::Rested(id)) }]
    }

    /// What the panels show now, to keep on screen while the next contact's load: the loaded panels, else
    /// what they were themselves still showing from before.
    fn panes_shown(&mut self) -> Option<Panes> {
        if self.contact.ready().is_some() {
            return Some(Panes {
                contact: self.contact.clone(),
                session: self.session.clone(),
                comments: self.comments.clone(),
                files: self.files.clone(),
                collapsed: self.collapsed.clone(),
            });
        }
        self.before.take().map(|b| *b)
    }

    fn show(&mut self, panes: Panes) {
        self.contact = panes.contact;
        self.session = panes.session;
        self.comments = panes.comments;
        self.files = panes.files;
        self.collapsed = panes.collapsed;
    }

    /// The selection rested on conversation `id`: its contact's panels are read, or, shown from the cache,
    /// checked with the server (one question where the server keeps a version of them).
    pub fn rested(&mut self, id: &str, out: &mut Requests) -> Vec<Effect> {
        if self.conversation_id.as_deref() != Some(id) {
            return vec![];
        }
        let Some(contact_id) = self.contact_id.clone() else { return vec![] };
        let version = if self.checking {
            self.cache.get_any(&contact_id).and_then(|c| c.version.clone())
        } else {
            let parts =
                [self.contact.is_unread(), self.session.is_unread(), self.comments.is_unread(), self.files.is_unread()];
            if !parts.contains(&true) {
                return vec![];
            }
            self.contact.start_unless_ready();
            self.session.start_unless_ready();
            self.comments.start_unless_ready();
            self.files.start_unless_ready();
            None
        };
        let request = Request::Detail { contact_id: contact_id.clone(), version };
        vec![out.send(Purpose::Detail(contact_id), request)]
    }

    /// The panels of `contact_id` arrived, or the server found the cached ones unchanged. A part that
    /// could not be read shows the copy kept for offline use (`cached_contact`, `cached_session`), else why.
    pub fn arrived(
        &mut self,
        contact_id: &Clean,
        parts: Listed<Box<DetailParts>>,
        now: Time,
        cached_contact: Option<&Contact>,
        cached_session: Option<&SessionData>,
    ) {
        let parts = match parts {
            Listed::Unchanged => {
                self.cache.confirmed(contact_id, now);
                if self.shows(contact_id) {
                    self.checking = false;
                }
                return;
            }
            Listed::Fresh(parts) => *parts,
        };
        let all_read = parts.contact.is_ok() && parts.session.is_ok() && parts.comments.is_ok() && parts.files.is_ok();
        let panes = Panes {
            collapsed: match &parts.session {
                Ok(s) => folded(s),
                Err(_) => HashMap::new(),
            },
            contact: loaded(parts.contact, cached_contact),
            session: loaded(parts.session, cached_session),
            comments: loaded(parts.comments, None),
            files: loaded(parts.files, None),
        };
        if all_read {
            self.cache.put(contact_id.clone(), panes.clone(), parts.version, now);
        }
        if self.shows(contact_id) {
            let keep_folds = self.checking && self.session.ready().is_some();
            let collapsed = std::mem::take(&mut self.collapsed);
            self.show(panes);
            if keep_folds {
                self.collapsed = collapsed;
            } else {
                self.section = 0;
            }
            self.checking = false;
            self.before = None;
        }
    }

    /// The panels could not be read at all: cached panels shown stay (unchecked), else each part says why.
    pub fn failed(
        &mut self,
        contact_id: &str,
        reason: &str,
        cached_contact: Option<&Contact>,
        cached_session: Option<&SessionData>,
    ) {
        if !self.shows(contact_id) {
            return;
        }
        self.before = None;
        if std::mem::take(&mut self.checking) {
            return;
        }
        self.contact_failed(contact_id, reason, cached_contact);
        self.session_failed(contact_id, reason, cached_session);
        self.comments = Load::Failed(reason.to_string());
        self.files = Load::Failed(reason.to_string());
    }

    /// What the panels draw: the contact's own panels, or, until they arrive, those shown before the
    /// selection moved (then `updating`).
    pub fn shown(&self) -> Shown<'_> {
        match &self.before {
            Some(b) if matches!(self.contact, Load::Idle | Load::Loading) => Shown {
                contact: &b.contact,
                session: &b.session,
                comments: &b.comments,
                files: &b.files,
                collapsed: &b.collapsed,
                updating: true,
                handler: Some(self.before_handler.as_ref()),
            },
            _ => Shown {
                contact: &self.contact,
                session: &self.session,
                comments: &self.comments,
                files: &self.files,
                collapsed: &self.collapsed,
                updating: self.checking,
                handler: None,
            },
        }
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

    /// The contact arrived (or was saved).
    pub fn contact_loaded(&mut self, contact_id: &str, contact: Contact) {
        self.cache.changed(contact_id, |p| p.contact = Load::Ready(contact.clone()));
        if self.shows(contact_id) {
            self.contact = Load::Ready(contact);
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

    /// A comment was added to the shown contact: it shows first.
    pub fn comment_added(&mut self, c: Comment) {
        if let Some(id) = self.contact_id.clone() {
            self.cache.changed(&id, |p| {
                if let Load::Ready(list) = &mut p.comments {
                    list.insert(0, c.clone());
                }
            });
        }
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

/// True when the session section `section_id` is folded in what the panels draw.
pub fn is_collapsed(detail: &Detail, section_id: &str) -> bool {
    detail.shown().collapsed.get(section_id).copied().unwrap_or(false)
}

/// What the contact and session panels draw (see [`Detail::shown`]).
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    /// The contact.
    pub contact: &'a Load<Contact>,
    /// Its session.
    pub session: &'a Load<SessionData>,
    /// Its comments.
    pub comments: &'a Load<Vec<Comment>>,
    /// Its files.
    pub files: &'a Load<Vec<FileRef>>,
    /// Its folded sections.
    pub collapsed: &'a HashMap<Clean, bool>,
    /// Another contact's panels kept until these arrive, or cached ones being checked.
    pub updating: bool,
    /// For another contact's kept panels: who handled the conversation they were shown for (the
    /// conversation now selected is someone else's). `None`: ask the conversation on screen.
    pub handler: Option<Option<&'a crate::domain::PersonRef>>,
}

/// A session's sections folded as its panel config says.
fn folded(s: &SessionData) -> HashMap<Clean, bool> {
    s.panel.sections.iter().map(|x| (x.id.clone(), x.collapsible && x.default_collapsed)).collect()
}

/// A part as read, or the copy kept for offline use, or why it could not be read.
fn loaded<T: Clone>(part: Result<T, crate::protocol::BackendError>, cached: Option<&T>) -> Load<T> {
    match part {
        Ok(v) => Load::Ready(v),
        Err(e) => cached.cloned().map(Load::Ready).unwrap_or_else(|| Load::Failed(e.to_string())),
    }
}

impl<T> Load<T> {
    /// Not read yet, or failed: worth asking for.
    fn is_unread(&self) -> bool {
        matches!(self, Load::Idle | Load::Failed(_))
    }

    /// On its way, unless it is here already.
    fn start_unless_ready(&mut self) {
        if self.ready().is_none() {
            *self = Load::Loading;
        }
    }
}
