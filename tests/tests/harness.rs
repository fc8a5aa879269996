//! The harness's own checks against redis-server: it must collect what
//! each client receives exactly as shared/transcript.md describes, also for
//! features the engine may not have yet (only the server side is checked).

use tests::differ::Differ;
use tests::server::RedisServer;

fn server_transcript(script: &str) -> String {
    let server = RedisServer::start();
    let mut differ = Differ::new(server.port).expect("control connection");
    differ
        .run("harness", script)
        .expect("the script runs")
        .server_transcript()
}

#[test]
fn the_transcript_format_example() {
    let script = "worker> BRPOP jobs 0\n\
                  producer> LPUSH jobs email:42\n\
                  alice> SUBSCRIBE news\n\
                  producer> PUBLISH news hello\n";
    let expected = "[producer]\n(integer) 1\n\
                    [worker]\n1) \"jobs\"\n2) \"email:42\"\n\
                    [alice]\n1) \"subscribe\"\n2) \"news\"\n3) (integer) 1\n\
                    [producer]\n(integer) 1\n\
                    [alice]\n1) \"message\"\n2) \"news\"\n3) \"hello\"\n";
    assert_eq!(server_transcript(script), expected);
}

#[test]
fn a_timeout_arrives_with_the_line_that_lets_time_pass() {
    let script = "worker> BLPOP q 0.2\n\
                  other> DEBUG SLEEP 0.4\n\
                  other> PING\n";
    assert_eq!(
        server_transcript(script),
        "[other]\nOK\n[worker]\n(nil)\n[other]\nPONG\n"
    );
}

#[test]
fn one_command_may_get_several_replies() {
    let script = "SUBSCRIBE a b\n";
    assert_eq!(
        server_transcript(script),
        "1) \"subscribe\"\n2) \"a\"\n3) (integer) 1\n\
         1) \"subscribe\"\n2) \"b\"\n3) (integer) 2\n"
    );
}
