//! Every error's name, as the C functions report it, is the name of its constant in
//! include/wireframe.h (so logs can be grepped for what the code compares with).

use wireframe::http::Errno;
use wireframe::ws::WsError;

/// `(suffix, value)` for every `PREFIX<suffix> = <value>,` line of the header.
fn constants(prefix: &str) -> Vec<(String, u32)> {
    let header =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/wireframe.h"))
            .expect("include/wireframe.h");
    header
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix(prefix)?;
            let (name, value) = rest.split_once(" = ")?;
            let value = value.trim_end_matches(',').parse().ok()?;
            Some((name.to_string(), value))
        })
        .collect()
}

#[test]
fn http_errno_names_are_the_constants_without_wf() {
    let found = constants("WF_HPE_");
    assert_eq!(found.len(), Errno::all().len());
    for (suffix, value) in found {
        let errno = Errno::from_u32(value).unwrap();
        assert_eq!(errno.name().to_str().unwrap(), format!("HPE_{suffix}"));
    }
}

#[test]
fn websocket_error_names_are_the_constants() {
    let found = constants("WF_WS_ERR_");
    assert!(found.len() > 20);
    for (suffix, value) in found {
        let err = WsError::from_u32(value).unwrap();
        assert_eq!(err.name(), format!("WF_WS_ERR_{suffix}"));
    }
}

#[test]
fn form_error_names_are_the_constants() {
    let found = constants("WF_FORM_ERR_");
    assert_eq!(found.len(), wireframe::form::FormError::ALL.len());
    for (suffix, value) in found {
        let err = wireframe::form::FormError::from_u32(value).unwrap();
        assert_eq!(
            err.name().to_str().unwrap(),
            format!("WF_FORM_ERR_{suffix}")
        );
    }
}
