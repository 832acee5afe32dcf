//! Small forms: editing a contact (validated before anything is sent) and adding a comment.

use super::{AppState, Effect, Load, Pane};
use crate::backend::ContactDraft;
use crate::worker::{Request, RequestId};

/// What a form does when submitted.
#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    /// Edit a contact's name, email and phone.
    EditContact(String),
    /// Add a comment to a contact.
    Comment(String),
}

/// One field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Its label.
    pub label: &'static str,
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
    /// The save in flight.
    pub sending: Option<RequestId>,
    /// Why the last save failed.
    pub error: Option<String>,
}

fn field(label: &'static str, value: Option<&str>) -> Field {
    Field { label, value: value.unwrap_or("").to_string(), error: None }
}

fn contact_id(state: &AppState) -> Option<String> {
    state.detail.contact_id.clone()
}

/// `e` in the contact panel: edit name, email and phone.
pub fn open_edit(state: &mut AppState) {
    let Some(id) = contact_id(state) else { return };
    let c = state.detail.contact.ready().cloned().or_else(|| state.list.selected().map(|x| x.contact.clone()));
    let c = c.unwrap_or_default();
    let fields =
        vec![field("Name", Some(&c.name)), field("Email", c.email.as_deref()), field("Phone", c.phone.as_deref())];
    state.form = Some(Form { kind: FormKind::EditContact(id), fields, focus: 0, sending: None, error: None });
}

/// `C` in the contact panel: add a comment (`@name` mentions an agent).
pub fn open_comment(state: &mut AppState) {
    let Some(id) = contact_id(state) else { return };
    state.form = Some(Form {
        kind: FormKind::Comment(id),
        fields: vec![field("Comment", None)],
        focus: 0,
        sending: None,
        error: None,
    });
}

pub use crate::validate::{is_e164, is_email};

fn validate(form: &mut Form) -> bool {
    for f in &mut form.fields {
        let v = f.value.trim();
        f.error = match (f.label, v.is_empty()) {
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

/// A key while a form is open.
pub fn on_action(state: &mut AppState, a: super::Action) -> Vec<Effect> {
    use super::Action;
    let Some(form) = state.form.as_mut() else { return vec![] };
    if form.sending.is_some() {
        return vec![];
    }
    let n = form.fields.len();
    match a {
        Action::Back => state.form = None,
        Action::Down | Action::NextPane => form.focus = (form.focus + 1) % n,
        Action::Up | Action::PrevPane => form.focus = (form.focus + n - 1) % n,
        Action::SearchInput(c) => {
            form.fields[form.focus].value.push(c);
            form.fields[form.focus].error = None;
        }
        Action::SearchBackspace => {
            form.fields[form.focus].value.pop();
        }
        Action::Open => return submit(state),
        _ => {}
    }
    vec![]
}

fn submit(state: &mut AppState) -> Vec<Effect> {
    let id = state.request_id();
    let Some(form) = state.form.as_mut() else { return vec![] };
    if !validate(form) {
        form.error = Some("Fix the marked fields; nothing was sent.".into());
        return vec![];
    }
    let value = |i: usize| form.fields[i].value.trim().to_string();
    let request = match &form.kind {
        FormKind::EditContact(contact_id) => {
            let opt = |v: String| Some(v);
            let draft =
                ContactDraft { name: opt(value(0)), email: opt(value(1)), phone: opt(value(2)), ..Default::default() };
            Request::UpdateContact { contact_id: contact_id.clone(), draft }
        }
        FormKind::Comment(contact_id) => Request::AddComment { contact_id: contact_id.clone(), text: value(0) },
    };
    form.sending = Some(id);
    form.error = None;
    vec![Effect::Send { id, key: None, request }]
}

/// The server saved the form.
pub fn saved(state: &mut AppState, id: RequestId) -> bool {
    let Some(form) = state.form.as_ref().filter(|f| f.sending == Some(id)) else { return false };
    state.notice = Some(match form.kind {
        FormKind::EditContact(_) => "Contact saved".into(),
        FormKind::Comment(_) => "Comment added".into(),
    });
    state.form = None;
    state.focus = Pane::Contact;
    true
}

/// The server refused the form: it stays open with the text and the reason.
pub fn refused(state: &mut AppState, id: RequestId, reason: String) -> bool {
    match state.form.as_mut().filter(|f| f.sending == Some(id)) {
        Some(f) => {
            f.sending = None;
            f.error = Some(format!("Not saved: {reason}"));
            true
        }
        None => false,
    }
}

/// Comments and files load with the contact.
pub fn load_extras(state: &mut AppState, contact_id: &str) -> Vec<Effect> {
    let c = state.request_id();
    state.detail.comments = Load::Loading(c);
    let mut effects = vec![Effect::Send {
        id: c,
        key: Some(crate::worker::RequestKey::Named("comments".into())),
        request: Request::Comments(contact_id.into()),
    }];
    if state.unavailable.contains(&"files") {
        // Nothing to ask for: the panel simply lists no files, with no error about it.
        state.detail.files = Load::Ready(vec![]);
        return effects;
    }
    let f = state.request_id();
    state.detail.files = Load::Loading(f);
    effects.push(Effect::Send {
        id: f,
        key: Some(crate::worker::RequestKey::Named("files".into())),
        request: Request::Files(contact_id.into()),
    });
    effects
}
