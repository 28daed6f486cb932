use wireframe::http::{Action, Callbacks, Event, Parser, ParserType};

/// Prints the request line and the headers as they are found.
#[derive(Default)]
struct Printer {
    name: Vec<u8>,
    value: Vec<u8>,
}

impl Callbacks for Printer {
    fn on_data(&mut self, _: &mut Parser, event: Event, data: &[u8]) -> Action {
        // A span may arrive in several pieces when the input is split: collect them.
        match event {
            Event::Url => println!("target {}", String::from_utf8_lossy(data)),
            Event::HeaderField => self.name.extend_from_slice(data),
            Event::HeaderValue => self.value.extend_from_slice(data),
            Event::Body => println!("body {}", String::from_utf8_lossy(data)),
            _ => {}
        }
        Action::Continue
    }

    fn on_notify(&mut self, parser: &mut Parser, event: Event) -> Action {
        match event {
            Event::HeaderValueComplete => {
                let (name, value) = (
                    std::mem::take(&mut self.name),
                    std::mem::take(&mut self.value),
                );
                println!(
                    "{}: {}",
                    String::from_utf8_lossy(&name),
                    String::from_utf8_lossy(&value)
                );
            }
            Event::HeadersComplete => {
                println!(
                    "{:?} keep-alive={}",
                    parser.method(),
                    parser.should_keep_alive()
                )
            }
            _ => {}
        }
        Action::Continue
    }
}

fn main() -> Result<(), wireframe::http::Error> {
    let request = b"POST /echo HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhello";
    let mut parser = Parser::new(ParserType::Request);
    let mut printer = Printer::default();
    // Any split of the input gives the same events.
    let (head, body) = request.split_at(20);
    parser.execute(&mut printer, head)?;
    parser.execute(&mut printer, body)?;
    // Strict by default: a bare LF ends no line.
    let mut strict = Parser::new(ParserType::Request);
    let err = strict
        .execute(&mut (), b"GET / HTTP/1.1\nHost: x\n\n")
        .unwrap_err();
    println!("{err}");
    Ok(())
}
