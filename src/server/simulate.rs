//! `--simulate`: customers write in now and then, so the demo is alive.

use super::Shared;
use rand::Rng;
use rand::seq::IndexedRandom;
use std::sync::Weak;
use std::time::Duration;

const LINES: &[&str] = &[
    "Hi, any update on this?",
    "I'm still waiting for an answer 🙏",
    "Thanks! One more question: can I change the delivery address?",
    "¿Hay alguna novedad sobre mi pedido?",
    "Merci pour votre aide, mais le problème persiste.",
    "هل يمكنكم مساعدتي من فضلكم؟",
    "אפשר לקבל עדכון בבקשה?",
    "注文の状況を教えていただけますか？",
    "请问我的退款什么时候到账？",
    "The tracking link says delivered but nothing arrived.",
    "Can someone call me back? My number is in my profile.",
    "Ok, I just sent the screenshot 📸",
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
            let open: Vec<usize> = (0..store.conversations.len()).filter(|i| store.conversations[*i].status == "open").collect();
            let mut rng = rand::rng();
            if let (Some(&idx), Some(line)) = (open.choose(&mut rng), LINES.choose(&mut rng)) {
                store.add_message(idx, None, false, line, now);
            }
        }
        s.wake();
    }
}
