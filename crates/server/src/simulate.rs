//! `--simulate`: customers write in now and then, so the demo is alive.

use super::Shared;
use rand::Rng;
use rand::seq::IndexedRandom;
use std::sync::Weak;
use std::time::Duration;

/// What customers write, by language (English lines fit anyone).
const LINES: &[(&str, &str)] = &[
    ("en", "Hi, any update on this?"),
    ("en", "I'm still waiting for an answer 🙏"),
    ("en", "Thanks! One more question: can I change the delivery address?"),
    ("en", "The tracking link says delivered but nothing arrived."),
    ("en", "Can someone call me back? My number is in my profile."),
    ("en", "Ok, I just sent the screenshot 📸"),
    ("es", "¿Hay alguna novedad sobre mi pedido?"),
    ("fr", "Merci pour votre aide, mais le problème persiste."),
    ("de", "Gibt es schon Neuigkeiten zu meiner Anfrage?"),
    ("pt", "Alguma novidade sobre o meu pedido?"),
    ("ar", "هل يمكنكم مساعدتي من فضلكم؟"),
    ("he", "אפשר לקבל עדכון בבקשה?"),
    ("ja", "注文の状況を教えていただけますか？"),
    ("zh", "请问我的退款什么时候到账？"),
    ("ko", "주문 상태를 확인해 주실 수 있나요?"),
];

/// Adds an incoming message to a random open conversation every `every` (jittered), until the server is gone.
pub async fn run(shared: Weak<Shared>, every: Duration) {
    loop {
        let jitter = rand::rng().random_range(0.5..1.5);
        tokio::time::sleep(every.mul_f64(jitter)).await;
        let Some(s) = shared.upgrade() else { return };
        let now = s.now();
        {
            let mut store = s.lock();
            let open: Vec<usize> =
                (0..store.conversations.len()).filter(|i| store.conversations[*i].status == "open").collect();
            let mut rng = rand::rng();
            if let Some(&idx) = open.choose(&mut rng) {
                let contact = store.contact(&store.conversations[idx].contact_id);
                let lang = contact.and_then(|c| c.metadata.get("language")).and_then(|v| v.as_str()).unwrap_or("en");
                let fitting: Vec<&str> =
                    LINES.iter().filter(|(l, _)| *l == lang || *l == "en").map(|(_, t)| *t).collect();
                if let Some(line) = fitting.choose(&mut rng) {
                    store.add_message(idx, None, false, line, now);
                }
            }
        }
        s.wake();
    }
}
