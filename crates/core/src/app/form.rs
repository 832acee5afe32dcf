//! Small forms: editing a contact (validated before anything is sent) and adding a comment.

use super::{Action, Effect, Overlays, Purpose, Requests};
use crate::domain::{Clean, Contact};
use crate::protocol::{ContactEdit, Request};

/// What a form does when submitted.
#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    /// Edit a contact's name, email and phone.
    EditContact(Clean),
    /// Add a comment to a contact.
    Comment(Clean),
    /// Fill in a canned response's own placeholders and insert it into a conversation's composer.
    Canned {
        /// The conversation whose composer it goes into.
        conversation_id: Clean,
        /// The text, the placeholders tinbox knows already filled.
        text: String,
    },
    /// Fill in a template's parameters and send it to a conversation.
    Template {
        /// The conversation.
        conversation_id: Clean,
        /// The template.
        template: crate::domain::Template,
    },
}

/// One field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Its label.
    pub label: String,
    /// What is typed.
    pub value: String,
    /// Why the value cannot be sent, in words.
    pub error: Option<String>,
}

/// An open form.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// What it does.
    pub kind: FormKind,
    /// Its fields.
    pub fields: Vec<Field>,
    /// The field being typed in.
    pub focus: usize,
    /// A save is in flight.
    pub sending: bool,
    /// Why the last save failed.
    pub error: Option<String>,
}

fn field(label: &str, value: Option<&str>) -> Field {
    Field { label: label.to_string(), value: value.unwrap_or("").to_string(), error: None }
}

impl Form {
    /// `e`: the contact form for contact `id`, filled from `contact` (the panel's, or the one the shown
    /// conversation carries while the panel loads).
    pub fn edit_contact(id: Clean, contact: Option<Contact>) -> Form {
        let c = contact.filter(|c| c.id == id).unwrap_or_default();
        let fields =
            vec![field("Name", Some(&c.name)), field("Email", c.email.as_deref()), field("Phone", c.phone.as_deref())];
        Form { kind: FormKind::EditContact(id), fields, focus: 0, sending: false, error: None }
    }

    /// `C`: the comment form for contact `id`.
    pub fn comment(id: Clean) -> Form {
        Form {
            kind: FormKind::Comment(id),
            fields: vec![field("Comment", None)],
            focus: 0,
            sending: false,
            error: None,
        }
    }

    fn submit(&mut self, out: &mut Requests) -> Vec<Effect> {
        if !validate(self) {
            self.error = Some("Fix the marked fields; nothing was sent.".into());
            return vec![];
        }
        let value = |i: usize| self.fields[i].value.trim().to_string();
        let (purpose, request) = match &self.kind {
            FormKind::EditContact(contact_id) => {
                let edit = ContactEdit { name: value(0), email: value(1), phone: value(2) };
                let request = Request::UpdateContact { contact_id: contact_id.clone(), edit };
                (Purpose::SaveContact(contact_id.clone()), request)
            }
            FormKind::Comment(contact_id) => (
                Purpose::AddComment(contact_id.clone()),
                Request::AddComment { contact_id: contact_id.clone(), text: value(0) },
            ),
            // Inserted into the composer by the root, never sent from here.
            FormKind::Canned { .. } => return vec![],
            FormKind::Template { conversation_id, template } => {
                let send = super::templates::filled(template, &self.fields);
                let request = Request::SendTemplate { conversation_id: conversation_id.clone(), template: send };
                (Purpose::SendTemplate(conversation_id.clone()), request)
            }
        };
        self.sending = true;
        self.error = None;
        vec![out.send(purpose, request)]
    }
}

impl Overlays {
    /// A key in the open form.
    pub fn form_action(&mut self, a: Action, out: &mut Requests) -> Vec<Effect> {
        let Some(form) = self.form.as_mut() else { return vec![] };
        if form.sending {
            return vec![];
        }
        let n = form.fields.len().max(1);
        match a {
            Action::Back => self.form = None,
            Action::Down | Action::NextPane => form.focus = (form.focus + 1) % n,
            Action::Up | Action::PrevPane => form.focus = (form.focus + n - 1) % n,
            Action::SearchInput(c) => {
                if let Some(f) = form.fields.get_mut(form.focus) {
                    f.value.push(c);
                    f.error = None;
                }
            }
            Action::SearchBackspace => {
                if let Some(f) = form.fields.get_mut(form.focus) {
                    f.value.pop();
                }
            }
            Action::ClearInput => {
                if let Some(f) = form.fields.get_mut(form.focus) {
                    f.value.clear();
                }
            }
            Action::Open => return form.submit(out),
            _ => {}
        }
        vec![]
    }

    /// The server refused what the form sent: it stays open, saying why.
    pub fn form_refused(&mut self, reason: String) {
        if let Some(f) = self.form.as_mut().filter(|f| f.sending) {
            f.sending = false;
            f.error = Some(format!("Not saved: {reason}"));
        }
    }
}

pub use crate::validate::{is_e164, is_email};

fn validate(form: &mut Form) -> bool {
    let template = matches!(form.kind, FormKind::Template { .. } | FormKind::Canned { .. });
    for f in &mut form.fields {
        let v = f.value.trim();
        f.error = match (f.label.as_str(), v.is_empty()) {
            (_, true) if template => Some("this needs filling in".into()),
            ("Name", true) => Some("a name is needed".into()),
            ("Comment", true) => Some("write something first".into()),
            ("Email", false) if !is_email(v) => Some("not an email address (like ana@example.com)".into()),
            ("Phone", false) if !is_e164(v) => {
                Some("use the international format: + and country code, digits only (like +14155550123)".into())
            }
            _ => None,
        };
    }
    form.fields.iter().all(|f| f.error.is_none())
}
