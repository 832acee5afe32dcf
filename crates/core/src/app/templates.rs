//! Sending a WhatsApp template, the only message a closed 24-hour window lets through: pick one of the
//! account's approved templates (fuzzy filter), fill in its parameters with the message previewed, send.

use super::{Effect, Field, Form, FormKind, Overlays, PickItem, Picker, PickerKind, Purpose, Requests};
use crate::domain::{Clean, Template, TemplateSend};
use crate::protocol::Request;

/// The template with the parameters typed into `fields` (one per parameter, in the body's order).
pub fn filled(template: &Template, fields: &[Field]) -> TemplateSend {
    TemplateSend {
        name: template.name.clone(),
        language: template.language.clone(),
        params: fields.iter().map(|f| (f.label.clone(), f.value.trim().to_string())).collect(),
    }
}

fn first_line(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() > max { format!("{}…", line.chars().take(max).collect::<String>()) } else { line.into() }
}

impl Overlays {
    /// `T` (or Ctrl-T in the composer): the template picker for conversation `id` (named `who`), loading.
    pub fn open_templates(&mut self, id: Clean, who: &str, out: &mut Requests) -> Vec<Effect> {
        let mut picker = Picker::new(PickerKind::Template, format!("Send a template to {who}"), vec![]);
        picker.loading = true;
        self.picker = Some(picker);
        // The conversation is fixed now: templates answered for another one are never offered for this one.
        self.templates = Some((id.clone(), Vec::new()));
        vec![out.send(Purpose::Templates(id.clone()), Request::Templates(id))]
    }

    /// The approved templates for conversation `id` arrived.
    pub fn templates_arrived(&mut self, id: Clean, list: Vec<Template>) {
        if self.templates.as_ref().is_none_or(|(open_for, _)| *open_for != id) {
            return;
        }
        let Some(p) = self.picker.as_mut().filter(|p| p.kind == PickerKind::Template) else { return };
        let items = list
            .iter()
            .map(|t| PickItem {
                id: t.name.clone(),
                label: format!("{} ({})", t.name, t.language),
                detail: first_line(&t.body, 60),
                checked: false,
                initially: false,
            })
            .collect();
        p.arrived(items, "This account has no approved templates.");
        self.templates = Some((id, list));
    }

    /// Enter in the template picker: a template with parameters opens its form (with a preview); one
    /// without is sent at once.
    pub fn template_chosen(&mut self, out: &mut Requests) -> Vec<Effect> {
        let Some(name) = self.picker.as_ref().and_then(|p| p.current()).map(|it| it.id.clone()) else { return vec![] };
        let Some((id, template)) = self
            .templates
            .as_ref()
            .and_then(|(id, list)| list.iter().find(|t| t.name == name).map(|t| (id.clone(), t.clone())))
        else {
            return vec![];
        };
        self.picker = None;
        let fields: Vec<Field> =
            template.params().into_iter().map(|p| Field { label: p, value: String::new(), error: None }).collect();
        if fields.is_empty() {
            let send = filled(&template, &[]);
            return vec![out.send(
                Purpose::SendTemplate(id.clone()),
                Request::SendTemplate { conversation_id: id, template: send },
            )];
        }
        let kind = FormKind::Template { conversation_id: id, template };
        self.form = Some(Form { kind, fields, focus: 0, sending: false, error: None });
        vec![]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_is_sent_with_its_parameters_by_name_in_order() {
        let t = Template {
            name: "order_update".into(),
            language: "en".into(),
            category: "UTILITY".into(),
            body: "Hi {{1}}, order {{2}}".into(),
        };
        let fields: Vec<Field> = ["1", "2"]
            .iter()
            .zip(["Ana ", "A-1"])
            .map(|(l, v)| Field { label: l.to_string(), value: v.to_string(), error: None })
            .collect();
        let send = filled(&t, &fields);
        assert_eq!(send.params, [("1".to_string(), "Ana".to_string()), ("2".to_string(), "A-1".to_string())]);
    }
}
