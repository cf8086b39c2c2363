//! Keys that producers and consumers must agree on, computed the same way on
//! both sides: HTTP operation keys and gRPC method keys.

/// The key an HTTP operation is provided and consumed under: the upper-case
/// method, a space, and the normalised path.
///
/// Normalisation: scheme, host and port are dropped (`http://orders:8080/x` is
/// `/x`), so is the query string and fragment; every path parameter, whatever
/// its syntax (`{id}`, `:id`, `<id>`, `<int:id>`, `[id]`, `${id}`, `*`), becomes
/// `{}`; a trailing slash is dropped; repeated slashes collapse.
/// `http_key("get", "https://api/orders/${id}?x=1")` is `GET /orders/{}`.
pub fn http_key(method: &str, path: &str) -> String {
    format!("{} {}", method.trim().to_ascii_uppercase(), normalize_http_path(path))
}

/// The key of an OpenAPI operationId as generated clients name it, whatever their casing
/// (`createOrder`, `create_order`, `CreateOrderAsync`): lower case letters and digits, with the
/// client class's tag in front when known (`orders|createorder` for `OrdersApi.createOrder`).
pub fn operation_id_key(tag: Option<&str>, operation_id: &str) -> String {
    let squash = |s: &str| -> String {
        s.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase()
    };
    let id = squash(operation_id);
    match tag.map(squash).filter(|t| !t.is_empty()) {
        Some(t) if !id.is_empty() => format!("{t}|{id}"),
        _ => id,
    }
}

/// The path part of [`http_key`].
pub fn normalize_http_path(path: &str) -> String {
    let mut p = path.trim();
    if let Some(i) = p.find("://") {
        p = &p[i + 3..];
        p = match p.find('/') {
            Some(j) => &p[j..],
            None => "/",
        };
    }
    if let Some(i) = p.find(['?', '#']) {
        p = &p[..i];
    }
    let mut out = String::with_capacity(p.len() + 1);
    for seg in p.split('/') {
        if seg.is_empty() {
            continue;
        }
        out.push('/');
        if is_param(seg) {
            out.push_str("{}");
        } else {
            out.push_str(seg);
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

fn is_param(seg: &str) -> bool {
    (seg.starts_with('{') && seg.ends_with('}'))
        || seg.starts_with(':')
        || (seg.starts_with('<') && seg.ends_with('>'))
        || (seg.starts_with('[') && seg.ends_with(']'))
        || seg.starts_with("${")
        || seg == "*"
        || seg.starts_with('*')
}

/// The key a gRPC method is provided and consumed under: `Service/Method`
/// without the proto package (code often knows only the service name). The
/// proto ingestor provides both this and the package-qualified form.
pub fn grpc_key(service: &str, method: &str) -> String {
    let service = service.rsplit('.').next().unwrap_or(service);
    format!("{service}/{method}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_keys_agree_across_syntaxes() {
        let want = "GET /orders/{}";
        for p in [
            "/orders/{id}",
            "/orders/:id",
            "/orders/<int:id>",
            "/orders/[id]",
            "https://api.acme.dev:8443/orders/${orderId}?expand=1",
            "/orders/{id}/",
        ] {
            assert_eq!(http_key("get", p), want, "{p}");
        }
        assert_eq!(http_key("POST", "http://orders"), "POST /");
        assert_eq!(grpc_key("acme.users.v1.UserService", "GetUser"), "UserService/GetUser");
    }
}
