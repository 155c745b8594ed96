//! `collector::store::Store` on its own, on SQLite and on PostgreSQL: the outcomes of an
//! insert, and the order and text of what is read back, must be the same on both.

mod common;

use collector::{
    Store,
    store::{Inserted, StoredResponse},
};
use common::TestDatabase;
use model::{Answers, Locale, ResponseV1, Transaction, definition::default_definition};
use time::macros::datetime;

fn response(n: u8, transaction: &str) -> ResponseV1 {
    ResponseV1 {
        response_id: format!("0f8fad5b-d9cb-469f-a165-7086772895{n:02x}"),
        survey: default_definition().survey_ref(),
        transaction: Transaction {
            id: transaction.to_owned(),
            kind: "bill_payment".to_owned(),
            unit: "城东供电营业厅 🏢".to_owned(),
        },
        answers: Answers::builtin(2, &["long_wait"], "排队太久 😡 <b>"),
        locale: Locale::ZhCn,
        submitted_at: "2026-11-27T08:30:00.123Z".to_owned(),
        page: "https://95598.example.cn/hall/pay".to_owned(),
        widget_version: "0.1.0".to_owned(),
    }
}

async fn open(db: &TestDatabase) -> Store {
    Store::open(&db.database).await.expect("open store")
}

on_both! {
#[tokio::test]
async fn an_insert_tells_new_replay_reused_id_and_rated_transaction_apart() {
    let db = TestDatabase::new().await;
    let store = open(&db).await;
    let at = datetime!(2026-11-27 08:30:01.5 UTC);
    let first = response(1, "PAY-1");
    assert_eq!(store.insert_response(first.clone(), at).await.ok(), Some(Inserted::New));
    assert_eq!(store.insert_response(first.clone(), at).await.ok(), Some(Inserted::AlreadyStored));
    let mut reused = first.clone();
    reused.answers.text_mut("comment").push('!');
    assert_eq!(store.insert_response(reused.clone(), at).await.ok(), Some(Inserted::ResponseIdReused));
    let same_transaction = response(2, "PAY-1");
    assert_eq!(
        store.insert_response(same_transaction.clone(), at).await.ok(),
        Some(Inserted::TransactionAlreadyRated)
    );
    assert_eq!(db.row_count().await, 1);
    store.ping().await.expect("ping");
    store.close().await;
    assert!(store.ping().await.is_err(), "a closed store does not answer");
}

/// Times are text: both backends must order them, and the response ids that break ties, by
/// code point, whatever PostgreSQL's locale (".5" after ".123", "b" after "B" after "9").
#[tokio::test]
async fn recent_responses_are_newest_first_and_read_back_as_stored() {
    let db = TestDatabase::new().await;
    let store = open(&db).await;
    let times = [
        (1, datetime!(2026-11-27 08:30:01.123 UTC)),
        (2, datetime!(2026-11-27 08:30:01.5 UTC)),
        (3, datetime!(2026-11-27 08:30:01 UTC)),
        // Same instant, given in another offset: stored in UTC.
        (4, datetime!(2026-11-27 16:30:01.5 +08:00)),
        (5, datetime!(2026-11-27 08:30:02 UTC)),
    ];
    for (n, at) in times {
        let inserted = store.insert_response(response(n, &format!("PAY-{n}")), at).await;
        assert_eq!(inserted.ok(), Some(Inserted::New));
    }
    let recent = store.recent_responses(10).await.expect("recent");
    let order: Vec<(&str, &str)> = recent
        .iter()
        .map(|r: &StoredResponse| (r.received_at.as_str(), &r.response.response_id[34..]))
        .collect();
    assert_eq!(
        order,
        [
            ("2026-11-27T08:30:02.000000Z", "05"),
            ("2026-11-27T08:30:01.500000Z", "04"),
            ("2026-11-27T08:30:01.500000Z", "02"),
            ("2026-11-27T08:30:01.123000Z", "01"),
            ("2026-11-27T08:30:01.000000Z", "03"),
        ]
    );
    assert_eq!(recent[0].response, response(5, "PAY-5"));
    assert_eq!(store.recent_responses(2).await.expect("recent").len(), 2);
    store.close().await;
}

#[tokio::test]
async fn text_sorts_by_code_point_on_both_backends() {
    let db = TestDatabase::new().await;
    let store = open(&db).await;
    store.close().await;
    let pool = db.pool().await;
    let ids = ["b", "B", "9", "a-b", "ab", "é", "z"];
    for id in ids {
        sqlx::query(
            "INSERT INTO responses VALUES ($1, 'x', 'default', 1, $1, 'bill_payment', 'hall', \
             1, '[]', '', 'zh-CN', 'x', 'https://a.cn/', '0.1.0', '{}')",
        )
        .bind(id)
        .execute(&pool)
        .await
        .expect("row");
    }
    let sorted: Vec<String> =
        sqlx::query_scalar("SELECT response_id FROM responses ORDER BY response_id")
            .fetch_all(&pool)
            .await
            .expect("sorted");
    pool.close().await;
    assert_eq!(sorted, ["9", "B", "a-b", "ab", "b", "z", "é"]);
}
}
