//! tinbox in a real terminal against the Whatomate emulator: start, select, panels, assign (through the
//! transfer, as an agent), reply, the closed service window, take next; the emulator records the calls.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::pty::Pty;
use common::whatomate::{self as wa, AGENT_KEY, PASSWORD};

fn calls(s: &wa::Shared) -> Vec<String> {
    s.lock().unwrap().calls.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_works_a_whatomate_inbox_from_the_keyboard() {
    let (url, s) = wa::start().await;
    tokio::task::block_in_place(|| {
        let mut t = Pty::spawn(&["--backend", "whatomate", "--server", &url, "--token", AGENT_KEY], 120, 40);
        t.wait_for("● live", 20);
        t.wait_for("Sofia Rossi", 10); // newest first: c5, selected
        t.wait_for("+491511234505", 10); // the contact panel
        t.wait_for("A-1042", 10); // the session panel, laid out from panel_config
        // Ben is away: the picker says so, and Whatomate refuses him with words that reach the screen.
        t.send("a");
        t.wait_for("Ana Lima (you)", 5);
        t.send("ben");
        t.wait_for("away", 5);
        t.send("\r");
        t.wait_for("Agent is currently away", 10);
        // Taking it myself goes through the transfer (the agent role may not pin a contact).
        t.send("m");
        t.wait_for_notice("Assigned to you", 10);
        t.send("R");
        t.wait_for("Ctrl-S send", 5);
        t.wait_for("[image]", 5); // the thread, opened for the reply
        t.wait_for("🔒 note by Ben Okoro", 5); // Whatomate's conversation notes, among the messages
        t.wait_for("Asked for a refund twice", 5);
        t.send("Your refund is on its way");
        t.send("\x13");
        // Whatomate only queues a send: the screen says so, and marks it sent when the socket says it went out.
        t.wait_for_notice("Reply handed to the server", 10);
        t.wait_for("✓ sent", 10);
        t.send("\x1b");
        // P writes a private note: it goes to Whatomate's notes, and shows in the thread as mine.
        t.send("P");
        t.wait_for("Ctrl-S send", 5);
        t.send("Courier confirmed pickup");
        t.send("\x13");
        t.wait_for("🔒 note by Ana Lima", 10);
        t.wait_for("Courier confirmed pickup", 5);
        t.send("\x1b");
        // Ctrl-G in a reply inserts a canned response: fuzzy picked, its own {{days}} asked for, the rest known.
        t.send("R");
        t.wait_for("Ctrl-S send", 5);
        t.send("\x07");
        t.wait_for("Insert a canned response", 5);
        t.wait_for("/refund Refund timeline", 5); // most used first; the inactive one is not offered
        assert!(!t.text().contains("Old promo"));
        t.send("refnd");
        t.send("\r");
        t.wait_for("Canned response — fill in the rest", 5);
        t.send("5");
        t.wait_for("Refunds reach your account within 5 working days.", 5);
        t.send("\r");
        t.wait_until("the text in the reply composer", 5, |screen| {
            !screen.contains("fill in the rest") && screen.contains("Refunds reach your account within 5 working days.")
        });
        t.send("\x1b"); // the composer (its draft kept), then the thread
        t.wait_until("the composer closed", 5, |screen| !screen.contains("Ctrl-S send"));
        t.send("\x1b");
        // Omar's window closed 30 hours ago: the header and the composer say a reply will be refused.
        t.send("G");
        t.send("k");
        t.wait_for("Omar Haddad", 5);
        t.send("R");
        t.wait_for("reply window closed: templates only", 10);
        t.wait_for("WhatsApp will refuse this reply", 5);
        // Sent anyway: the server takes it, WhatsApp refuses it seconds later, and the screen says why.
        t.send("Still there?");
        t.send("\x13");
        t.wait_for("✗ failed", 10);
        t.wait_for("✗ Not delivered: Message failed to send because more than 24 hours", 10);
        t.wait_for("The reply to Omar Haddad was not delivered", 5);
        t.send("\x1b");
        t.wait_until("the row marked", 5, |screen| {
            screen.lines().any(|l| l.contains("Omar Haddad") && l.contains("✗ not delivered"))
        });
        // Its text is not lost: R brings it back to edit.
        t.send("R");
        t.wait_for("Ctrl-S send", 5);
        t.wait_for("Still there?", 5);
        // The window is closed: a template goes out instead. Ctrl-T picks one (fuzzy), fills it, previews it.
        t.send("\x14");
        t.wait_for("Send a template to Omar Haddad", 10);
        t.wait_for("order_update (en)", 10);
        t.send("ordr");
        t.send("\r");
        t.wait_for("Template order_update (en)", 5);
        t.send("Omar");
        t.send("\t");
        t.send("A-1042");
        t.wait_for("Hi Omar, your order A-1042 has shipped.", 5);
        t.send("\r");
        t.wait_for_notice("Template handed to the server", 10);
        t.wait_until("the template in the thread, sent", 10, |screen| {
            let lines: Vec<&str> = screen.lines().collect();
            lines
                .windows(2)
                .any(|w| w[0].contains("✓ sent") && w[1].contains("Hi Omar, your order A-1042 has shipped."))
        });
        // The reply's draft is still there for later.
        t.send("R");
        t.wait_for("Still there?", 5);
        t.send("\x1b");
        t.send("\x1b");
        // Take the next waiting conversation: Yuki has waited longest; it opens, mine now.
        t.send("n");
        t.wait_for_notice("Took Yuki Sato from the queue", 10);
        t.wait_for("Hi, this is Yuki Sato", 10);
        t.send("\x1b");
        // Mine now holds Yuki with me as the handler; the queue (Unassigned) is empty.
        t.send("1");
        t.wait_until("Yuki's row in Mine showing Ana", 10, |screen| {
            screen.contains("1 Mine (3)") && screen.lines().any(|l| l.contains("Yuki Sato") && l.contains("Ana"))
        });
        t.send("2");
        t.wait_for("2 Unassigned (0)", 10);
        t.send("3");
        t.send("?");
        t.wait_for("not on this server", 5);
        t.wait_for("not for your role", 5); // labels and contact edits: the agent role lacks contacts:write
        t.send("\x1b");
        // Search says what it looks in on this server.
        t.send("/");
        t.wait_for("searches name and phone", 5);
        t.send("\x1b");
        t.send("q");
        assert!(t.wait_exit(5));
        assert!(t.restored());
    });
    let log = calls(&s);
    let at = |p: &str| log.iter().position(|c| c.starts_with(p)).unwrap_or_else(|| panic!("no {p}: {log:#?}"));
    // The role says contacts:write is missing: no doomed pin request, straight to the transfer.
    assert!(!log.iter().any(|c| c.starts_with("PUT /api/contacts/c5/assign")), "{log:#?}");
    let assigns: Vec<&String> =
        log.iter().filter(|c| c.starts_with("PUT /api/chatbot/transfers/tr_5/assign")).collect();
    assert!(assigns[0].contains("u_ben") && assigns[1].contains("u_ana"), "{assigns:#?}");
    assert!(log[at("POST /api/contacts/c5/messages")].contains("Your refund is on its way"));
    assert!(log[at("POST /api/contacts/c5/notes")].contains("Courier confirmed pickup"));
    at("GET /api/canned-responses?active_only=true");
    // The list asks Whatomate's largest page (limit 1–100), not the default 50.
    // (Counts ask one row, limit=1, and may come first.)
    let lists: Vec<&String> = log
        .iter()
        .filter(|c| c.starts_with("GET /api/contacts?") && !c.contains("limit=1&") && !c.ends_with("limit=1"))
        .collect();
    assert!(!lists.is_empty() && lists.iter().all(|c| c.contains("limit=100")), "{lists:#?}");
    at("POST /api/canned-responses/cr2/use");
    assert!(!log.iter().any(|c| c.starts_with("POST /api/contacts/c5/messages") && c.contains("Courier")), "{log:#?}");
    assert!(at("WS auth u_ana with ws") > at("GET /api/auth/ws-token"));
    at("GET /api/templates?status=APPROVED");
    let sent = &log[at("POST /api/messages/template")];
    assert!(
        sent.contains(r#""template_name":"order_update""#)
            && sent.contains(r#""template_params":{"1":"Omar","2":"A-1042"}"#),
        "{sent}"
    );
    at("POST /api/chatbot/transfers/pick");
    // Only the threads the agent opened were read (and so marked read): c5, c1 and the taken c2.
    let mut read: Vec<&str> = log.iter().filter_map(|c| c.strip_prefix("(page-mode read marked ")).collect();
    read.sort();
    read.dedup();
    assert_eq!(read, ["c1 read)", "c2 read)", "c5 read)"], "{log:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_with_a_long_email_goes_live_on_a_server_that_checks_the_origin() {
    let (url, s) = wa::start().await;
    // 68 characters: the access token (which holds the email) would overflow the socket's 512-byte frame.
    let email = format!("ana.lima.{}@acme-support.test", "x".repeat(41));
    {
        let mut e = s.lock().unwrap();
        e.users[0]["email"] = serde_json::json!(email);
        e.allowed_origins = Some(vec![url.clone()]);
    }
    tokio::task::block_in_place(|| {
        let dir = tempfile::tempdir().unwrap();
        let args = ["--backend", "whatomate", "--server", &url, "--email", &email];
        let mut t = Pty::spawn_with(&args, 100, 24, dir, &[("TINBOX_PASSWORD", PASSWORD)]);
        t.wait_for("● live", 20);
        t.wait_for("Sofia Rossi", 10);
        // Live for real: a customer writes, and the row says so without a reload.
        wa::emit(
            &s,
            "new_message",
            serde_json::json!({"id": "m9", "contact_id": "c3", "assigned_user_id": "u_ana", "profile_name": "Lena Vogel",
                "direction": "incoming", "message_type": "text", "content": {"body": "Any news?"}, "status": "received",
                "created_at": "2026-11-21T16:30:00Z"}),
        );
        t.wait_for("● live · 1 unread", 10);
        t.send("q");
        assert!(t.wait_exit(5));
    });
    let log = calls(&s);
    assert!(log[0].starts_with("POST /api/auth/login"), "{log:#?}");
    assert!(log.iter().any(|c| *c == format!("WS upgrade from Origin {url:?}")), "{log:#?}");
    assert!(log.iter().any(|c| c == "WS auth u_ana with ws"), "the ws-token, not the access token: {log:#?}");
    assert!(!log.iter().any(|c| c.contains("1009") || c.contains("refused")), "{log:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_refuses_the_socket_is_polled_and_the_agent_is_told() {
    let (url, s) = wa::start().await;
    s.lock().unwrap().allowed_origins = Some(vec!["https://wa.example.com".into()]);
    tokio::task::block_in_place(|| {
        let mut t = Pty::spawn(&["--backend", "whatomate", "--server", &url, "--token", AGENT_KEY], 160, 30);
        t.wait_for("No live updates: socket refused (HTTP 500: WebSocket upgrade failed)", 20);
        t.wait_for("● polling (live refused)", 10);
        t.wait_for("Sofia Rossi", 10);
        t.send("q");
        assert!(t.wait_exit(5));
    });
    let upgrades = calls(&s).iter().filter(|c| c.starts_with("WS upgrade refused")).count();
    assert_eq!(upgrades, 1, "refused once, not retried forever");
}
