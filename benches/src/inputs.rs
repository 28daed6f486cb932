//! The HTTP inputs: each is a list of segments (the reads of one connection, each given to the
//! parser in one call) parsed by one parser per pass.

/// Which kind of message an input holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Requests (parsers of type REQUEST).
    Request,
    /// Responses (parsers of type RESPONSE).
    Response,
}

/// One benchmark input.
pub struct Input {
    /// Short name used on the command line, in the table and in the JSON.
    pub name: &'static str,
    /// What it is, for the table's legend.
    pub description: &'static str,
    /// Request or response parsing.
    pub kind: Kind,
    /// The reads of one connection, in order; each holds whole messages.
    pub segments: Vec<Vec<u8>>,
}

impl Input {
    /// Total bytes of one pass.
    pub fn bytes(&self) -> usize {
        self.segments.iter().map(Vec::len).sum()
    }
}

/// The request of llhttp's benchmark (bench/index.ts, named "nodejs/http-parser" there): a POST
/// to /joyent/http-parser with ten headers, Transfer-Encoding: chunked, and the chunked body
/// "hello world".
pub const CLASSIC: &str = concat!(
    "POST /joyent/http-parser HTTP/1.1\r\n",
    "Host: github.com\r\n",
    "DNT: 1\r\n",
    "Accept-Encoding: gzip, deflate, sdch\r\n",
    "Accept-Language: ru-RU,ru;q=0.8,en-US;q=0.6,en;q=0.4\r\n",
    "User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_1) ",
    "AppleWebKit/537.36 (KHTML, like Gecko) ",
    "Chrome/39.0.2171.65 Safari/537.36\r\n",
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,",
    "image/webp,*/*;q=0.8\r\n",
    "Referer: https://github.com/joyent/http-parser\r\n",
    "Connection: keep-alive\r\n",
    "Transfer-Encoding: chunked\r\n",
    "Cache-Control: max-age=0\r\n\r\nb\r\nhello world\r\n0\r\n\r\n"
);

/// httparse's benchmark request (also in llhttp's benchmark as "seanmonstar/httparse").
const KITTY: &str = concat!(
    "GET /wp-content/uploads/2010/03/hello-kitty-darth-vader-pink.jpg HTTP/1.1\r\n",
    "Host: www.kittyhell.com\r\n",
    "User-Agent: Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10.6; ja-JP-mac; rv:1.9.2.3) ",
    "Gecko/20100401 Firefox/3.6.3 Pathtraq/0.9\r\n",
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n",
    "Accept-Language: ja,en-us;q=0.7,en;q=0.3\r\n",
    "Accept-Encoding: gzip,deflate\r\n",
    "Accept-Charset: Shift_JIS,utf-8;q=0.7,*;q=0.7\r\n",
    "Keep-Alive: 115\r\n",
    "Connection: keep-alive\r\n",
    "Cookie: wp_ozh_wsa_visits=2; wp_ozh_wsa_visit_lasttime=xxxxxxxxxx; ",
    "__utma=xxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.x; ",
    "__utmz=xxxxxxxxx.xxxxxxxxxx.x.x.utmccn=(referral)|utmcsr=reader.livedoor.com|",
    "utmcct=/reader/|utmcmd=referral\r\n\r\n"
);

const CHROME_NAV: &str = concat!(
    "GET /docs/latest/guide/getting-started.html?ref=nav HTTP/1.1\r\n",
    "Host: www.example.org\r\n",
    "Connection: keep-alive\r\n",
    "sec-ch-ua: \"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"\r\n",
    "sec-ch-ua-mobile: ?0\r\n",
    "sec-ch-ua-platform: \"Linux\"\r\n",
    "Upgrade-Insecure-Requests: 1\r\n",
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) ",
    "Chrome/124.0.0.0 Safari/537.36\r\n",
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,",
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7\r\n",
    "Sec-Fetch-Site: same-origin\r\n",
    "Sec-Fetch-Mode: navigate\r\n",
    "Sec-Fetch-User: ?1\r\n",
    "Sec-Fetch-Dest: document\r\n",
    "Referer: https://www.example.org/docs/latest/\r\n",
    "Accept-Encoding: gzip, deflate, br, zstd\r\n",
    "Accept-Language: en-GB,en-US;q=0.9,en;q=0.8\r\n",
    "Cookie: _ga=GA1.1.1234567890.1700000000; session=8f14e45fceea167a5a36dedd4bea2543; ",
    "theme=dark; consent=analytics%3D0%26ads%3D0\r\n\r\n"
);

const FIREFOX_CSS: &str = concat!(
    "GET /static/css/app.3f2a9c.css HTTP/1.1\r\n",
    "Host: www.example.org\r\n",
    "User-Agent: Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0\r\n",
    "Accept: text/css,*/*;q=0.1\r\n",
    "Accept-Language: en-US,en;q=0.5\r\n",
    "Accept-Encoding: gzip, deflate, br\r\n",
    "Referer: https://www.example.org/docs/latest/guide/getting-started.html?ref=nav\r\n",
    "Connection: keep-alive\r\n",
    "Sec-Fetch-Dest: style\r\n",
    "Sec-Fetch-Mode: no-cors\r\n",
    "Sec-Fetch-Site: same-origin\r\n",
    "If-None-Match: \"5e1f-17a8b2c3d4e\"\r\n",
    "If-Modified-Since: Tue, 09 Apr 2024 10:15:00 GMT\r\n\r\n"
);

const SAFARI_IMG: &str = concat!(
    "GET /images/hero@2x.webp HTTP/1.1\r\n",
    "Host: cdn.example.org\r\n",
    "Accept: image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,",
    "image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5\r\n",
    "Sec-Fetch-Site: same-site\r\n",
    "Sec-Fetch-Dest: image\r\n",
    "Accept-Language: fr-FR,fr;q=0.9\r\n",
    "Sec-Fetch-Mode: no-cors\r\n",
    "User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 ",
    "(KHTML, like Gecko) Version/17.4.1 Safari/605.1.15\r\n",
    "Referer: https://www.example.org/\r\n",
    "Accept-Encoding: gzip, deflate, br\r\n",
    "Connection: keep-alive\r\n\r\n"
);

const API_GET: &str = concat!(
    "GET /api/v2/users/12345/orders?status=open&limit=50&cursor=eyJpZCI6OTg3NjU0fQ HTTP/1.1\r\n",
    "Host: api.example.com\r\n",
    "Authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NSIsInNjb3BlIjoi",
    "b3JkZXJzOnJlYWQiLCJleHAiOjE3MTYwMDAwMDB9.c2lnbmF0dXJlLXBsYWNlaG9sZGVyLWZvci1iZW5jaG1hcms\r\n",
    "Accept: application/json\r\n",
    "User-Agent: okhttp/4.12.0\r\n",
    "Accept-Encoding: gzip\r\n",
    "X-Request-ID: 3b2f6a8e-9c41-4d7e-b5a0-1f2e3d4c5b6a\r\n\r\n"
);

const HEALTH: &str = concat!(
    "GET /healthz HTTP/1.1\r\n",
    "Host: 10.0.3.17:8080\r\n",
    "User-Agent: kube-probe/1.29\r\n",
    "Accept: */*\r\n\r\n"
);

const DELETE: &str = concat!(
    "DELETE /api/v2/sessions/9f86d081884c7d65 HTTP/1.1\r\n",
    "Host: api.example.com\r\n",
    "Authorization: Bearer 7c4a8d09ca3762af61e59520943dc26494f8941b\r\n",
    "User-Agent: python-requests/2.31.0\r\n",
    "Accept-Encoding: gzip, deflate\r\n",
    "Accept: */*\r\n",
    "Connection: keep-alive\r\n",
    "Content-Length: 0\r\n\r\n"
);

/// A request with a `Content-Length` body.
fn with_body(head: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "{head}Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Deterministic text of `n` bytes (HTML-ish words), for bodies.
pub fn filler(n: usize, seed: usize) -> String {
    const WORDS: [&str; 12] = [
        "<p>", "wire", "frame", "parser", "</p>", "chunk", "header", "value", "stream", "bytes",
        "\n", "hello",
    ];
    let mut s = String::with_capacity(n + 8);
    let mut i = seed;
    while s.len() < n {
        s.push_str(WORDS[i % WORDS.len()]);
        s.push(' ');
        i = i.wrapping_mul(7).wrapping_add(3);
    }
    s.truncate(n);
    s
}

/// A chunked body made of chunks of the given sizes, then the last chunk.
fn chunked(sizes: &[usize], seed: usize) -> String {
    let mut s = String::new();
    for (i, &n) in sizes.iter().enumerate() {
        s.push_str(&format!("{n:x}\r\n{}\r\n", filler(n, seed + i)));
    }
    s.push_str("0\r\n\r\n");
    s
}

fn mix() -> Vec<Vec<u8>> {
    let order_json = concat!(
        "{\"customer_id\":12345,\"currency\":\"EUR\",\"items\":[{\"sku\":\"WF-1001\",\"qty\":2,",
        "\"price\":\"19.90\"},{\"sku\":\"WF-2040\",\"qty\":1,\"price\":\"129.00\"}],",
        "\"shipping\":{\"method\":\"express\",\"address_id\":778},\"note\":\"leave at the door\"}"
    );
    let graphql = concat!(
        "{\"operationName\":\"Repo\",\"variables\":{\"owner\":\"example\",\"name\":\"wireframe\",",
        "\"first\":20},\"query\":\"query Repo($owner: String!, $name: String!, $first: Int!) ",
        "{ repository(owner: $owner, name: $name) { issues(first: $first, states: OPEN) ",
        "{ nodes { number title author { login } createdAt } } } }\"}"
    );
    let post_order = with_body(
        concat!(
            "POST /api/v2/orders HTTP/1.1\r\n",
            "Host: api.example.com\r\n",
            "Authorization: Bearer 7c4a8d09ca3762af61e59520943dc26494f8941b\r\n",
            "Accept: application/json\r\n",
            "User-Agent: axios/1.6.8\r\n",
            "Idempotency-Key: 5d41402abc4b2a76b9719d911017c592\r\n",
            "Accept-Encoding: gzip, compress, deflate, br\r\n"
        ),
        "application/json",
        order_json,
    );
    let graphql_post = with_body(
        concat!(
            "POST /graphql HTTP/1.1\r\n",
            "Host: api.example.com\r\n",
            "Accept: application/graphql-response+json, application/json\r\n",
            "Origin: https://app.example.com\r\n",
            "Referer: https://app.example.com/projects\r\n",
            "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ",
            "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0\r\n",
            "Accept-Language: de-DE,de;q=0.9,en;q=0.8\r\n",
            "Accept-Encoding: gzip, deflate, br, zstd\r\n",
            "Cookie: sid=s%3A8hJk2lMn4oPq6rSt.Uv8wXy0zAb2cDe4fGh6iJk8lMn0oPq2rSt4uVw6x\r\n"
        ),
        "application/json",
        graphql,
    );
    let form = with_body(
        concat!(
            "POST /login HTTP/1.1\r\n",
            "Host: www.example.org\r\n",
            "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0\r\n",
            "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n",
            "Origin: https://www.example.org\r\n",
            "Referer: https://www.example.org/login?next=%2Faccount\r\n",
            "Cookie: csrftoken=Hq3kWm9ZpL2xT7vB4nR8yC1sD6fG0jK5\r\n"
        ),
        "application/x-www-form-urlencoded",
        "csrfmiddlewaretoken=Hq3kWm9ZpL2xT7vB4nR8yC1sD6fG0jK5&username=ada&password=correct+horse+battery&next=%2Faccount",
    );
    let patch = with_body(
        concat!(
            "PATCH /api/v2/users/12345 HTTP/1.1\r\n",
            "Host: api.example.com\r\n",
            "Authorization: Bearer 7c4a8d09ca3762af61e59520943dc26494f8941b\r\n",
            "User-Agent: Go-http-client/1.1\r\n",
            "Accept-Encoding: gzip\r\n"
        ),
        "application/merge-patch+json",
        "{\"display_name\":\"Ada L.\",\"locale\":\"en-GB\"}",
    );
    let mut upload = String::from(concat!(
        "PUT /api/v2/blobs/7f3a/content HTTP/1.1\r\n",
        "Host: storage.example.com\r\n",
        "User-Agent: Go-http-client/1.1\r\n",
        "Content-Type: application/octet-stream\r\n",
        "Transfer-Encoding: chunked\r\n",
        "Accept-Encoding: gzip\r\n\r\n"
    ));
    upload.push_str(&chunked(&[1024, 1024, 300], 5));
    vec![
        CHROME_NAV.as_bytes().to_vec(),
        API_GET.as_bytes().to_vec(),
        FIREFOX_CSS.as_bytes().to_vec(),
        post_order,
        SAFARI_IMG.as_bytes().to_vec(),
        HEALTH.as_bytes().to_vec(),
        KITTY.as_bytes().to_vec(),
        graphql_post,
        form,
        DELETE.as_bytes().to_vec(),
        patch,
        upload.into_bytes(),
    ]
}

fn responses() -> Vec<Vec<u8>> {
    const COMMON: &str = concat!(
        "Date: Mon, 13 May 2024 09:41:07 GMT\r\n",
        "Server: nginx/1.25.4\r\n",
        "Connection: keep-alive\r\n"
    );
    let json = concat!(
        "{\"id\":98765,\"status\":\"open\",\"customer_id\":12345,\"total\":\"168.80\",",
        "\"currency\":\"EUR\",\"items\":[{\"sku\":\"WF-1001\",\"qty\":2},{\"sku\":\"WF-2040\",",
        "\"qty\":1}],\"created_at\":\"2024-05-13T09:41:07Z\",\"links\":{\"self\":",
        "\"/api/v2/orders/98765\",\"customer\":\"/api/v2/users/12345\"}}"
    );
    let html = filler(4096, 1);
    let small_html =
        "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n";
    let moved = "<html><body>Moved to <a href=\"https://www.example.org/docs/latest/\">here</a></body></html>\n";
    let mut out = Vec::new();
    out.push(format!(
        "HTTP/1.1 200 OK\r\n{COMMON}Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: private, no-store\r\nVary: Accept-Encoding, Authorization\r\nX-Request-Id: 3b2f6a8e-9c41-4d7e-b5a0-1f2e3d4c5b6a\r\nStrict-Transport-Security: max-age=63072000; includeSubDomains\r\n\r\n{json}",
        json.len()
    ));
    out.push(format!(
        "HTTP/1.1 200 OK\r\n{COMMON}Content-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nLast-Modified: Tue, 09 Apr 2024 10:15:00 GMT\r\nETag: \"66151a34-1000\"\r\nAccept-Ranges: bytes\r\nCache-Control: max-age=600\r\n\r\n{html}",
        html.len()
    ));
    out.push(format!(
        "HTTP/1.1 200 OK\r\n{COMMON}Content-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\nVary: Accept-Encoding\r\nSet-Cookie: session=8f14e45fceea167a5a36dedd4bea2543; Path=/; HttpOnly; Secure; SameSite=Lax\r\nX-Frame-Options: DENY\r\n\r\n{}",
        chunked(&[1000, 2000, 500], 2)
    ));
    out.push(format!(
        "HTTP/1.1 304 Not Modified\r\n{COMMON}ETag: \"5e1f-17a8b2c3d4e\"\r\nCache-Control: max-age=31536000, immutable\r\n\r\n"
    ));
    out.push(format!(
        "HTTP/1.1 204 No Content\r\n{COMMON}Access-Control-Allow-Origin: https://app.example.com\r\nAccess-Control-Allow-Credentials: true\r\n\r\n"
    ));
    out.push(format!(
        "HTTP/1.1 404 Not Found\r\n{COMMON}Content-Type: text/html\r\nContent-Length: {}\r\n\r\n{small_html}",
        small_html.len()
    ));
    out.push(format!(
        "HTTP/1.1 200 OK\r\n{COMMON}Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache\r\nX-Accel-Buffering: no\r\n\r\n{}",
        chunked(&[64, 58, 71, 60, 66], 3)
    ));
    out.push(format!(
        "HTTP/1.1 301 Moved Permanently\r\n{COMMON}Content-Type: text/html\r\nContent-Length: {}\r\nLocation: https://www.example.org/docs/latest/\r\n\r\n{moved}",
        moved.len()
    ));
    out.into_iter().map(String::into_bytes).collect()
}

fn pipelined() -> Vec<Vec<u8>> {
    let mut buf = String::new();
    for i in 0..100 {
        match i % 4 {
            0 => buf.push_str(
                "GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\nAccept: text/plain,text/html;q=0.9,*/*;q=0.8\r\nConnection: keep-alive\r\n\r\n",
            ),
            1 => buf.push_str("GET /json HTTP/1.1\r\nHost: localhost:8080\r\nAccept: application/json\r\n\r\n"),
            2 => buf.push_str(&format!(
                "GET /api/items/{i}?fields=id,name HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n"
            )),
            _ => buf.push_str(&format!(
                "POST /api/items/{i}/touch HTTP/1.1\r\nHost: localhost:8080\r\nContent-Length: 2\r\n\r\nok"
            )),
        }
    }
    vec![buf.into_bytes()]
}

/// Every HTTP input, in table order.
pub fn all() -> Vec<Input> {
    vec![
        Input {
            name: "classic",
            description: "llhttp's benchmark request (POST /joyent/http-parser, 10 headers, chunked 'hello world')",
            kind: Kind::Request,
            segments: vec![CLASSIC.as_bytes().to_vec()],
        },
        Input {
            name: "mix",
            description: "12 requests, one read each: 5 browser GETs, 6 API calls (JSON/form bodies), a chunked upload",
            kind: Kind::Request,
            segments: mix(),
        },
        Input {
            name: "responses",
            description: "8 responses, one read each: Content-Length bodies (JSON, 4 KiB HTML), chunked (3.5 KiB, ndjson), 304, 204, 404, 301",
            kind: Kind::Response,
            segments: responses(),
        },
        Input {
            name: "pipelined",
            description: "100 small pipelined requests in one read (4 kinds, one with a 2-byte body)",
            kind: Kind::Request,
            segments: pipelined(),
        },
    ]
}
