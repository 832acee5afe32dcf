//! The real binary against the reference server, as a WhatsApp agent meets the 24-hour window (issue 12,
//! part 4): a reply into a closed window is refused later with the channel's reason, and a template goes out.

use crate::common;

use common::pty::Pty;
use tinbox::server::ServerOptions;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_into_a_closed_window_is_refused_with_its_reason_and_a_template_goes_out() {
    let s =
        common::server(ServerOptions { delivery_after: std::time::Duration::from_millis(100), ..Default::default() })
            .await;
    // An open WhatsApp conversation whose customer last wrote days ago, moved to the top of the list.
    let name = s.with_store(|st| {
        let now = chrono::Utc::now();
        let old = |t: Option<chrono::DateTime<chrono::Utc>>| t.is_none_or(|t| now - t > chrono::TimeDelta::hours(30));
        let i = st
            .conversations
            .iter()
            .position(|c| c.channel == "whatsapp" && c.status == "open" && old(c.last_inbound_at))
            .expect("the demo has one");
        st.conversations[i].last_message_at = Some(now + chrono::TimeDelta::minutes(1));
        st.conversations[i].updated_at = now + chrono::TimeDelta::minutes(1);
        let contact = st.conversations[i].contact_id.clone();
        st.contact(&contact).map(|c| c.full_name()).unwrap_or_default()
    });
    let url = s.url();
    tokio::task::block_in_place(|| {
        let mut t = Pty::spawn(&["--server", &url, "--token", "demo-alice", "--view", "all"], 120, 30);
        t.wait_for("● live", 20);
        t.wait_until("the conversation on top", 10, |screen| {
            screen.lines().nth(1).is_some_and(|l| l.contains(name.as_str()))
        });
        t.send("R");
        t.wait_for("WhatsApp will refuse this reply", 10);
        t.send("Are you still there?");
        t.send("\x13");
        t.wait_for_notice("Reply handed to the server", 10);
        t.wait_for("✗ Not delivered: WhatsApp refused it: more than 24 hours", 10);
        // A template is the way through: picked by name, no parameters, sent at once.
        t.send("T");
        t.wait_for("reopen_chat (en)", 10);
        t.send("reopen");
        t.send("\r");
        t.wait_for_notice("Template handed to the server", 10);
        t.wait_until("the template delivered", 10, |screen| {
            let lines: Vec<&str> = screen.lines().collect();
            lines.windows(2).any(|w| {
                (w[0].contains("✓ sent") || w[0].contains("✓✓ delivered"))
                    && w[1].contains("We have an update on your request")
            })
        });
        t.send("\x1b");
        t.send("q");
        assert!(t.wait_exit(5));
    });
}
