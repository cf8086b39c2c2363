//! REST resource routes as Rails (`resources :orders`) and Laravel
//! (`Route::resource('orders', ...)`) expand them: the seven actions, `only`
//! and `except` filters, singular resources.

/// One route of a resource: action, method, path.
pub type RestRoute = (&'static str, &'static str, String);

/// The actions of a resource: (action, method, path suffix after the collection, member?).
/// Rails names the form action `new`, Laravel `create`; both name the others alike.
const ACTIONS: &[(&str, &str, &str, bool)] = &[
    ("index", "GET", "", false),
    ("new", "GET", "/new", false),
    ("create", "POST", "", false),
    ("show", "GET", "", true),
    ("edit", "GET", "/edit", true),
    ("update", "PATCH", "", true),
    ("update", "PUT", "", true),
    ("destroy", "DELETE", "", true),
];

/// Options of a resource declaration.
#[derive(Clone, Debug, Default)]
pub struct Resource {
    /// Collection path (`/orders`, `/admin/orders`).
    pub base: String,
    /// A singular resource (`resource :profile`): no index, no member id.
    pub singular: bool,
    /// An API resource (Laravel `apiResource`): no `new`/`edit` forms.
    pub api: bool,
    /// Laravel names the form action `create` (its store action is `store`).
    pub laravel: bool,
    pub only: Option<Vec<String>>,
    pub except: Vec<String>,
}

/// The routes a resource declares, after `only`/`except`.
pub fn expand(r: &Resource) -> Vec<RestRoute> {
    let mut out = Vec::new();
    for (action, method, suffix, member) in ACTIONS {
        if r.singular && *action == "index" {
            continue;
        }
        if r.api && matches!(*action, "new" | "edit") {
            continue;
        }
        // Laravel: `create` is the form, `store` creates.
        let name: &'static str = match (*action, r.laravel) {
            ("new", true) => "create",
            ("create", true) => "store",
            (a, _) => a,
        };
        if r.only.as_ref().is_some_and(|o| !o.iter().any(|x| x == name)) || r.except.iter().any(|x| x == name) {
            continue;
        }
        let mut path = r.base.trim_end_matches('/').to_string();
        if *member && !r.singular {
            path.push_str("/{id}");
        }
        let suffix = if *action == "new" && r.laravel { "/create" } else { suffix };
        path.push_str(suffix);
        if path.is_empty() {
            path.push('/');
        }
        out.push((name, *method, path));
    }
    out
}

/// The member path of a collection (`/orders` gives `/orders/{order_id}`), for nested resources.
pub fn member_prefix(base: &str, singular: bool) -> String {
    if singular {
        return base.to_string();
    }
    let last = base.rsplit('/').next().unwrap_or(base);
    let one = last
        .strip_suffix("ies")
        .map(|s| format!("{s}y"))
        .unwrap_or_else(|| last.strip_suffix('s').unwrap_or(last).to_string());
    format!("{}/{{{one}_id}}", base.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rails_and_laravel() {
        let r = Resource { base: "/orders".into(), ..Default::default() };
        let routes: Vec<String> = expand(&r).into_iter().map(|(_, m, p)| format!("{m} {p}")).collect();
        assert_eq!(
            routes,
            [
                "GET /orders",
                "GET /orders/new",
                "POST /orders",
                "GET /orders/{id}",
                "GET /orders/{id}/edit",
                "PATCH /orders/{id}",
                "PUT /orders/{id}",
                "DELETE /orders/{id}"
            ]
        );
        let r = Resource { base: "/photos".into(), laravel: true, api: true, ..Default::default() };
        assert_eq!(expand(&r).len(), 6);
        let r = Resource { base: "/photos".into(), laravel: true, ..Default::default() };
        assert!(expand(&r).iter().any(|(a, m, p)| *a == "create" && *m == "GET" && p == "/photos/create"));
        let r =
            Resource { base: "/profile".into(), singular: true, only: Some(vec!["show".into()]), ..Default::default() };
        assert_eq!(expand(&r), vec![("show", "GET", "/profile".to_string())]);
        assert_eq!(member_prefix("/categories", false), "/categories/{category_id}");
    }
}
