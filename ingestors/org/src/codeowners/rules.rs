//! Pure CODEOWNERS parsing and matching, GitHub and GitLab flavours.
//!
//! GitHub semantics (docs "About code owners"): gitignore-style patterns
//! without `!` negation and without `[ ]` ranges; `\#` escapes a leading `#`;
//! `*` never crosses `/`; `**` spans directories; a leading `/` or a slash in
//! the middle anchors the pattern at the repo root, otherwise it matches at
//! any depth; a trailing `/` matches directories only (everything under
//! them); a pattern that names a directory owns everything below it, except
//! that `dir/*` owns only the files directly in `dir`. The LAST
//! matching rule wins, and a rule without owners unsets ownership.
//!
//! GitLab adds sections: `[Section]`, `^[Section]` (optional approval),
//! `[Section][2]` (approvals required) and default owners written after the
//! header, used by entries of that section that list no owners. Within each
//! section the last matching entry wins; a path's owners are the union over
//! sections. Sections with the same name (case-insensitive) are combined.
//! GitLab also accepts `[ ]` character classes and `!pattern` exclusions
//! (a path matching an exclusion of a section has no owners in that section).

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Which product's rules apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    GitHub,
    GitLab,
}

impl Flavor {
    pub fn as_str(self) -> &'static str {
        match self {
            Flavor::GitHub => "github",
            Flavor::GitLab => "gitlab",
        }
    }
}

/// A problem with one line; the line is skipped (GitHub skips invalid lines too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    pub line: u32,
    pub message: String,
}

/// A GitLab section header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    pub optional: bool,
    pub approvals: Option<u32>,
    pub default_owners: Vec<String>,
    pub line: u32,
}

/// One entry: a pattern and its owners.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The pattern as written (escapes kept).
    pub pattern: String,
    /// Owners as written; empty unsets ownership.
    pub owners: Vec<String>,
    /// 1-based line.
    pub line: u32,
    /// GitLab section name (`None` for GitHub and for GitLab entries before any section).
    pub section: Option<String>,
    /// GitLab `!pattern` exclusion.
    pub exclude: bool,
    matcher: Pattern,
}

impl Rule {
    /// Whether the rule's pattern matches `path` (a repo-relative file path).
    pub fn matches(&self, path: &str) -> bool {
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        self.matcher.matches(&parts)
    }
    /// [`Rule::matches`] on a path already split into segments.
    pub fn matches_parts(&self, parts: &[&str]) -> bool {
        self.matcher.matches(parts)
    }
    /// The first path segment every match starts with, when the pattern is
    /// anchored and begins with a literal segment.
    pub fn first_segment(&self) -> Option<&str> {
        self.matcher.literal_prefix.first().map(String::as_str)
    }
    /// `*`, `**` or `/**`: every file of the repo.
    pub fn is_catch_all(&self) -> bool {
        matches!(self.pattern.as_str(), "*" | "**" | "/*" | "/**" | "**/*")
    }
}

/// The ownership of one path by one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Owners as written; empty when the winning rule unsets ownership.
    pub owners: Vec<String>,
    pub rule_line: u32,
    pub pattern: String,
    pub section: Option<String>,
}

/// A parsed CODEOWNERS file.
#[derive(Clone, Debug)]
pub struct Ruleset {
    pub flavor: Flavor,
    pub rules: Vec<Rule>,
    pub sections: Vec<Section>,
    /// Rule indexes by their literal leading segments.
    index: Trie,
}

/// Rules by literal leading path segments: the rules stored at a node can
/// only match paths that start with the segments leading to it.
#[derive(Clone, Debug, Default)]
struct Trie {
    rules: Vec<usize>,
    children: HashMap<String, Trie>,
}

impl Trie {
    fn insert(&mut self, prefix: &[String], rule: usize) {
        match prefix.split_first() {
            None => self.rules.push(rule),
            Some((first, rest)) => self.children.entry(first.clone()).or_default().insert(rest, rule),
        }
    }
    /// Rules that may match a path with these segments, in file order.
    fn candidates(&self, parts: &[&str]) -> Vec<usize> {
        let mut out = self.rules.clone();
        let mut node = self;
        for p in parts {
            match node.children.get(*p) {
                Some(n) => {
                    out.extend_from_slice(&n.rules);
                    node = n;
                }
                None => break,
            }
        }
        out.sort_unstable();
        out
    }
}

/// The kind of an owner handle: `user`, `team`, `email` or (GitLab `@@role`) `role`.
pub fn owner_type(handle: &str) -> &'static str {
    if handle.starts_with("@@") {
        "role"
    } else if handle.starts_with('@') {
        if handle.contains('/') {
            "team"
        } else {
            "user"
        }
    } else {
        "email"
    }
}

fn valid_owner(tok: &str) -> bool {
    if let Some(h) = tok.strip_prefix('@') {
        let h = h.strip_prefix('@').unwrap_or(h);
        !h.is_empty() && h.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'))
    } else {
        match tok.split_once('@') {
            Some((user, domain)) => !user.is_empty() && domain.contains('.') && !domain.contains('@'),
            None => false,
        }
    }
}

/// Parses a GitHub-flavoured CODEOWNERS text.
pub fn parse(text: &str) -> (Ruleset, Vec<RuleError>) {
    parse_with(text, Flavor::GitHub)
}

/// Whether a text uses GitLab sections (`[Name]` or `^[Name]` lines).
pub fn looks_like_gitlab(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim();
        (t.starts_with('[') || t.starts_with("^[")) && t.contains(']') && !t.contains("](")
    })
}

/// Splits a line into whitespace-separated tokens, honouring `\ ` escapes and
/// stopping at an unescaped `#` that starts a token (a trailing comment).
fn tokenize(line: &str) -> Vec<String> {
    let mut toks = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cur.push('\\');
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    toks.push(std::mem::take(&mut cur));
                }
            }
            '#' if cur.is_empty() => break,
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        toks.push(cur);
    }
    toks
}

/// Parses a GitLab section header line: `^[Name][2] @owner ...`.
fn parse_section(t: &str, line: u32) -> Option<(Section, Vec<String>)> {
    let (optional, rest) = match t.strip_prefix('^') {
        Some(r) => (true, r),
        None => (false, t),
    };
    let rest = rest.strip_prefix('[')?;
    let close = rest.find(']')?;
    let name = rest[..close].trim().to_string();
    let mut after = &rest[close + 1..];
    let mut approvals = None;
    if let Some(r) = after.strip_prefix('[') {
        let c = r.find(']')?;
        approvals = r[..c].trim().parse::<u32>().ok();
        after = &r[c + 1..];
    }
    if name.is_empty() {
        return None;
    }
    let owners = tokenize(after);
    Some((Section { name, optional, approvals, default_owners: Vec::new(), line }, owners))
}

/// Parses a CODEOWNERS text with the given flavour's rules.
pub fn parse_with(text: &str, flavor: Flavor) -> (Ruleset, Vec<RuleError>) {
    let mut rules = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut errors = Vec::new();
    let mut current: Option<usize> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = i as u32 + 1;
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if flavor == Flavor::GitLab && (t.starts_with('[') || t.starts_with("^[")) {
            match parse_section(t, line) {
                Some((mut sec, owners)) => {
                    let (good, bad): (Vec<String>, Vec<String>) = owners.into_iter().partition(|o| valid_owner(o));
                    for b in bad {
                        errors.push(RuleError { line, message: format!("invalid owner `{b}` in section header") });
                    }
                    sec.default_owners = good;
                    current = Some(sections.len());
                    sections.push(sec);
                }
                None => errors.push(RuleError { line, message: format!("malformed section header `{t}`") }),
            }
            continue;
        }
        let toks = tokenize(t);
        let Some((pattern, owners)) = toks.split_first() else { continue };
        let mut pattern = pattern.clone();
        let mut exclude = false;
        if let Some(p) = pattern.strip_prefix('!') {
            if flavor == Flavor::GitHub {
                errors.push(RuleError {
                    line,
                    message: format!("`{pattern}`: negation with `!` is not supported in GitHub CODEOWNERS"),
                });
                continue;
            }
            exclude = true;
            pattern = p.to_string();
        }
        let bad: Vec<&String> = owners.iter().filter(|o| !valid_owner(o)).collect();
        if !bad.is_empty() {
            let list: Vec<&str> = bad.iter().map(|s| s.as_str()).collect();
            errors.push(RuleError { line, message: format!("invalid owner {}; line skipped", list.join(", ")) });
            continue;
        }
        let mut owners = owners.to_vec();
        let section = current.map(|c| sections[c].name.clone());
        if owners.is_empty() && !exclude {
            if let Some(c) = current {
                owners = sections[c].default_owners.clone();
            }
        }
        let matcher = match Pattern::compile(&pattern, flavor == Flavor::GitLab) {
            Ok(m) => m,
            Err(msg) => {
                errors.push(RuleError { line, message: format!("`{pattern}`: {msg}") });
                continue;
            }
        };
        rules.push(Rule { pattern, owners, line, section, exclude, matcher });
    }
    let mut index = Trie::default();
    for (i, r) in rules.iter().enumerate() {
        index.insert(&r.matcher.literal_prefix, i);
    }
    (Ruleset { flavor, rules, sections, index }, errors)
}

impl Ruleset {
    /// The owners of `path`: for GitHub, the last matching rule (`None` if no
    /// rule matches; a matching rule without owners gives empty owners). For
    /// GitLab, owners of every section combined; the rule line, pattern and
    /// section are those of the first section (in file order) that matched.
    pub fn owners_of(&self, path: &str) -> Option<Decision> {
        let mut ds = self.decisions_of(path);
        if ds.len() <= 1 {
            return ds.pop();
        }
        let mut owners: Vec<String> = Vec::new();
        for d in &ds {
            for o in &d.owners {
                if !owners.contains(o) {
                    owners.push(o.clone());
                }
            }
        }
        let first = ds.swap_remove(0);
        Some(Decision { owners, ..first })
    }

    /// One decision per section that matched `path` (GitHub: at most one).
    pub fn decisions_of(&self, path: &str) -> Vec<Decision> {
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let candidates = self.candidates(&parts);
        match self.flavor {
            Flavor::GitHub => candidates
                .iter()
                .rev()
                .map(|&i| &self.rules[i])
                .find(|r| r.matches_parts(&parts))
                .map(|r| vec![decision(r)])
                .unwrap_or_default(),
            Flavor::GitLab => {
                // section key (lowercased name, None for the unnamed head) -> winning rule
                let mut order: Vec<Option<String>> = Vec::new();
                let mut won: BTreeMap<Option<String>, &Rule> = BTreeMap::new();
                let mut excluded: BTreeSet<Option<String>> = BTreeSet::new();
                for r in candidates.iter().map(|&i| &self.rules[i]) {
                    if !r.matches_parts(&parts) {
                        continue;
                    }
                    let key = r.section.as_ref().map(|s| s.to_lowercase());
                    if r.exclude {
                        excluded.insert(key);
                        continue;
                    }
                    if !order.contains(&key) {
                        order.push(key.clone());
                    }
                    won.insert(key, r);
                }
                order
                    .into_iter()
                    .filter(|k| !excluded.contains(k))
                    .filter_map(|k| won.get(&k).map(|r| decision(r)))
                    .collect()
            }
        }
    }

    /// Indexes of the rules that can match a path with these segments, in file order.
    fn candidates(&self, parts: &[&str]) -> Vec<usize> {
        self.index.candidates(parts)
    }

    /// Indexes of rules that match none of `paths` (stale rules).
    pub fn stale_rules(&self, paths: &[&str]) -> Vec<usize> {
        // Paths sorted as segment lists: the paths under a literal prefix form one range.
        let mut split: Vec<Vec<&str>> =
            paths.iter().map(|p| p.split('/').filter(|s| !s.is_empty()).collect()).collect();
        split.sort_unstable();
        let mut stale = Vec::new();
        for (ri, r) in self.rules.iter().enumerate() {
            let prefix = &r.matcher.literal_prefix;
            let start = split.partition_point(|p| {
                let n = prefix.len().min(p.len());
                p[..n].iter().copied().lt(prefix[..n].iter().map(String::as_str))
                    || (p[..n].iter().copied().eq(prefix[..n].iter().map(String::as_str)) && p.len() < prefix.len())
            });
            let in_range = split[start..]
                .iter()
                .take_while(|p| p.len() >= prefix.len() && p.iter().zip(prefix).all(|(a, b)| *a == b.as_str()));
            let mut hit = false;
            for p in in_range {
                if r.matches_parts(p) {
                    hit = true;
                    break;
                }
            }
            if !hit {
                stale.push(ri);
            }
        }
        stale
    }
}

fn decision(r: &Rule) -> Decision {
    Decision { owners: r.owners.clone(), rule_line: r.line, pattern: r.pattern.clone(), section: r.section.clone() }
}

/// The smallest set of owners such that every given decision with owners has
/// at least one of them (a reviewer set covering all paths). Exact (search by
/// increasing size) when there are at most 16 distinct owners; greedy set
/// cover (pick the owner covering most uncovered paths, ties by name) above
/// that. Decisions without owners cannot be covered and are ignored.
pub fn reviewers_cover(answers: &[Decision]) -> Vec<String> {
    let needs: Vec<BTreeSet<&str>> = answers
        .iter()
        .filter(|d| !d.owners.is_empty())
        .map(|d| d.owners.iter().map(String::as_str).collect())
        .collect();
    let all: Vec<&str> = needs.iter().flatten().copied().collect::<BTreeSet<_>>().into_iter().collect();
    if needs.is_empty() {
        return Vec::new();
    }
    if all.len() <= 16 {
        let n = all.len();
        let masks: Vec<u32> = needs
            .iter()
            .map(|set| all.iter().enumerate().filter(|(_, o)| set.contains(*o)).fold(0u32, |m, (i, _)| m | (1 << i)))
            .collect();
        let mut best: Option<u32> = None;
        for m in 1u32..(1u32 << n) {
            if best.is_some_and(|b| m.count_ones() >= b.count_ones()) {
                continue;
            }
            if masks.iter().all(|need| need & m != 0) {
                best = Some(m);
            }
        }
        let m = best.unwrap_or(0);
        return all.iter().enumerate().filter(|(i, _)| m & (1 << i) != 0).map(|(_, o)| o.to_string()).collect();
    }
    let mut uncovered: Vec<usize> = (0..needs.len()).collect();
    let mut chosen = Vec::new();
    while !uncovered.is_empty() {
        let best = all
            .iter()
            .filter(|o| !chosen.contains(&o.to_string()))
            .map(|o| (uncovered.iter().filter(|i| needs[**i].contains(o)).count(), *o))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(a.1)));
        let Some((count, owner)) = best else { break };
        if count == 0 {
            break;
        }
        chosen.push(owner.to_string());
        uncovered.retain(|i| !needs[*i].contains(owner));
    }
    chosen.sort();
    chosen
}

/// A compiled gitignore-style pattern.
#[derive(Clone, Debug)]
struct Pattern {
    segs: Vec<Seg>,
    /// Matches directories only (trailing `/`): the match must be a proper ancestor of the file.
    dir_only: bool,
    /// Literal leading segments, for a cheap reject.
    literal_prefix: Vec<String>,
    /// `dir/*`: only files directly in `dir` (GitHub documents that `docs/*`
    /// does not own `docs/build-app/troubleshooting.md`), not whole subtrees.
    direct_children_only: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    /// `**`: zero or more segments.
    AnyDepth,
    /// A single segment glob.
    Glob(Vec<Tok>),
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Lit(char),
    Star,
    Any,
    Class { negated: bool, items: Vec<(char, char)> },
}

impl Pattern {
    fn compile(pattern: &str, ranges: bool) -> Result<Pattern, String> {
        let mut p = pattern;
        let dir_only = p.len() > 1 && p.ends_with('/') && !p.ends_with("\\/");
        if dir_only {
            p = &p[..p.len() - 1];
        }
        let anchored_lead = p.starts_with('/');
        let p = p.trim_start_matches('/');
        if p.is_empty() {
            return Err("empty pattern".into());
        }
        let anchored = anchored_lead || p.contains('/');
        let mut segs = Vec::new();
        if !anchored {
            segs.push(Seg::AnyDepth);
        }
        for raw in p.split('/') {
            if raw.is_empty() {
                continue;
            }
            if raw == "**" {
                if segs.last() != Some(&Seg::AnyDepth) {
                    segs.push(Seg::AnyDepth);
                }
                continue;
            }
            segs.push(Seg::Glob(compile_seg(raw, ranges)?));
        }
        let mut literal_prefix = Vec::new();
        for s in &segs {
            match s {
                Seg::Glob(toks) if toks.iter().all(|t| matches!(t, Tok::Lit(_))) => literal_prefix
                    .push(toks.iter().filter_map(|t| if let Tok::Lit(c) = t { Some(*c) } else { None }).collect()),
                _ => break,
            }
        }
        let direct_children_only = anchored && segs.len() >= 2 && segs.last() == Some(&Seg::Glob(vec![Tok::Star]));
        Ok(Pattern { segs, dir_only, literal_prefix, direct_children_only })
    }

    fn matches(&self, parts: &[&str]) -> bool {
        if parts.len() < self.literal_prefix.len() {
            return false;
        }
        if self.literal_prefix.iter().zip(parts).any(|(a, b)| a != b) {
            return false;
        }
        // Match the pattern against a prefix of the path: the file itself or one of its directories.
        if self.direct_children_only {
            return !self.dir_only && match_segs(&self.segs, parts);
        }
        let max = if self.dir_only { parts.len().saturating_sub(1) } else { parts.len() };
        match self.segs.as_slice() {
            // `name` or `*.js` without a slash: any segment (a file, or a directory above it)
            [Seg::AnyDepth, Seg::Glob(toks)] => parts[..max].iter().any(|p| match_glob(toks, p)),
            // no `**`: the pattern spans exactly as many segments as it has
            segs if !segs.contains(&Seg::AnyDepth) => segs.len() <= max && match_segs(segs, &parts[..segs.len()]),
            segs => (1..=max).any(|k| match_segs(segs, &parts[..k])),
        }
    }
}

fn compile_seg(raw: &str, ranges: bool) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = raw.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                i += 1;
                if let Some(n) = chars.get(i) {
                    toks.push(Tok::Lit(*n));
                }
            }
            '*' => {
                if toks.last() != Some(&Tok::Star) {
                    toks.push(Tok::Star);
                }
            }
            '?' => toks.push(Tok::Any),
            '[' if ranges => {
                let close = chars[i + 1..].iter().position(|c| *c == ']').map(|p| p + i + 1);
                let Some(close) = close else { return Err("unclosed `[`".into()) };
                let mut body = &chars[i + 1..close];
                let negated = matches!(body.first(), Some('!') | Some('^'));
                if negated {
                    body = &body[1..];
                }
                let mut items = Vec::new();
                let mut j = 0;
                while j < body.len() {
                    if j + 2 < body.len() && body[j + 1] == '-' {
                        items.push((body[j], body[j + 2]));
                        j += 3;
                    } else {
                        items.push((body[j], body[j]));
                        j += 1;
                    }
                }
                toks.push(Tok::Class { negated, items });
                i = close;
            }
            c => toks.push(Tok::Lit(c)),
        }
        i += 1;
    }
    Ok(toks)
}

/// Whether `pat` matches exactly the segments `parts`. `**` spans zero or
/// more segments, except that a trailing `**` needs at least one (`a/**` is
/// inside `a`).
///
/// Greedy matching with backtracking to the last `**` only, like
/// [`match_glob`]: O(pattern × path) steps. Backtracking into every `**`
/// (the obvious recursion) is exponential in their number, which a hostile
/// CODEOWNERS (`**/a/**/a/**/a/...`) turns into a hang of every snapshot build.
fn match_segs(pat: &[Seg], parts: &[&str]) -> bool {
    // A trailing `**` is read as "one segment, then `**`".
    let trailing = pat.last() == Some(&Seg::AnyDepth);
    let len = pat.len() + usize::from(trailing);
    let step = |i: usize| -> Step<'_> {
        if trailing && i + 1 == len {
            Step::Star
        } else if trailing && i + 2 == len {
            Step::One(None)
        } else {
            match &pat[i] {
                Seg::AnyDepth => Step::Star,
                Seg::Glob(toks) => Step::One(Some(toks)),
            }
        }
    };
    let (mut pi, mut si) = (0usize, 0usize);
    // After the last `**` seen: the step after it and where its match ends.
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < len {
            match step(pi) {
                Step::Star => {
                    star = Some((pi + 1, si));
                    pi += 1;
                    continue;
                }
                Step::One(toks) => {
                    if let Some(part) = parts.get(si) {
                        if toks.is_none_or(|t| match_glob(t, part)) {
                            pi += 1;
                            si += 1;
                            continue;
                        }
                    }
                }
            }
        } else if si == parts.len() {
            return true;
        }
        // Mismatch: let the last `**` take one more segment, or fail.
        match star {
            Some((next, taken)) if taken < parts.len() => {
                star = Some((next, taken + 1));
                pi = next;
                si = taken + 1;
            }
            _ => return false,
        }
    }
}

/// One step of a segment pattern: `**`, or exactly one segment (`None`: any).
enum Step<'a> {
    Star,
    One(Option<&'a [Tok]>),
}

/// Whether one segment glob matches `s`. Greedy with backtracking to the last
/// `*` only (every other token takes exactly one character, so that is
/// enough): O(tokens × characters), where the recursive form was exponential
/// in the number of `*` (`*a*a*a*a*a*a*a*a*a*a*a*a*b` took minutes against a
/// 40-character file name).
fn match_glob(toks: &[Tok], s: &str) -> bool {
    let (mut ti, mut si) = (0usize, 0usize); // token index, byte offset in `s`
    let mut star: Option<(usize, usize)> = None;
    loop {
        if let Some(t) = toks.get(ti) {
            if *t == Tok::Star {
                star = Some((ti + 1, si));
                ti += 1;
                continue;
            }
            if let Some(c) = s[si..].chars().next() {
                let ok = match t {
                    Tok::Lit(l) => *l == c,
                    Tok::Any => true,
                    Tok::Class { negated, items } => items.iter().any(|(a, b)| *a <= c && c <= *b) != *negated,
                    Tok::Star => false,
                };
                if ok {
                    ti += 1;
                    si += c.len_utf8();
                    continue;
                }
            }
        } else if si == s.len() {
            return true;
        }
        match star {
            Some((next, taken)) => match s[taken..].chars().next() {
                Some(c) => {
                    star = Some((next, taken + c.len_utf8()));
                    ti = next;
                    si = taken + c.len_utf8();
                }
                None => return false,
            },
            None => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owners(rs: &Ruleset, p: &str) -> Option<Vec<String>> {
        rs.owners_of(p).map(|d| d.owners)
    }

    #[test]
    fn gitignore_patterns() {
        let (rs, errs) = parse("*.js @a\n/build/logs/ @b\ndocs/* @c\napps/ @d\n**/logs @e\n/x/**/y.md @f\n");
        assert!(errs.is_empty());
        assert_eq!(owners(&rs, "src/a.js"), Some(vec!["@a".into()]));
        // `**/logs @e` comes later and also matches: the last matching rule wins
        assert_eq!(owners(&rs, "build/logs/deep/x.txt"), Some(vec!["@e".into()]));
        assert_eq!(owners(&rs, "build/logs"), Some(vec!["@e".into()]));
        assert_eq!(owners(&rs, "docs/x.md"), Some(vec!["@c".into()]));
        assert_eq!(owners(&rs, "docs/sub/x.md"), None);
        assert_eq!(owners(&rs, "a/apps/b/c.rs"), Some(vec!["@d".into()]));
        assert_eq!(owners(&rs, "apps"), None, "apps/ is a directory pattern");
        assert_eq!(owners(&rs, "deep/nested/logs/a"), Some(vec!["@e".into()]));
        assert_eq!(owners(&rs, "x/y.md"), Some(vec!["@f".into()]));
        assert_eq!(owners(&rs, "x/a/b/y.md"), Some(vec!["@f".into()]));
    }

    #[test]
    fn cover_is_minimal() {
        let d = |o: &[&str]| Decision {
            owners: o.iter().map(|s| s.to_string()).collect(),
            rule_line: 1,
            pattern: "*".into(),
            section: None,
        };
        let got = reviewers_cover(&[d(&["@a", "@b"]), d(&["@b", "@c"]), d(&["@c"]), d(&[])]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.contains(&"@c".to_string()), "{got:?}");
        assert!(reviewers_cover(&[]).is_empty());
    }

    /// The recursive definitions the linear matchers replaced (exponential
    /// on hostile patterns, but obviously right): both must agree.
    fn reference_segs(pat: &[Seg], parts: &[&str]) -> bool {
        match pat.split_first() {
            None => parts.is_empty(),
            Some((Seg::AnyDepth, [])) => !parts.is_empty(),
            Some((Seg::AnyDepth, rest)) => (0..=parts.len()).any(|k| reference_segs(rest, &parts[k..])),
            Some((Seg::Glob(toks), rest)) => match parts.split_first() {
                Some((first, tail)) => reference_glob(toks, first) && reference_segs(rest, tail),
                None => false,
            },
        }
    }

    fn reference_glob(toks: &[Tok], s: &str) -> bool {
        match toks.split_first() {
            None => s.is_empty(),
            Some((Tok::Star, rest)) => {
                s.char_indices().map(|(i, _)| i).chain(std::iter::once(s.len())).any(|k| reference_glob(rest, &s[k..]))
            }
            Some((t, rest)) => {
                let mut it = s.chars();
                let Some(c) = it.next() else { return false };
                let ok = match t {
                    Tok::Lit(l) => *l == c,
                    Tok::Any => true,
                    Tok::Class { negated, items } => items.iter().any(|(a, b)| *a <= c && c <= *b) != *negated,
                    Tok::Star => false,
                };
                ok && reference_glob(rest, it.as_str())
            }
        }
    }

    #[test]
    fn linear_matching_agrees_with_the_recursive_definition() {
        let segs = ["a", "*", "a*", "*a", "?", "**", "[ab]", "*b*a", "é*"];
        let names = ["a", "b", "ab", "ba", "aab", "bba", "é", "éa", ""];
        let mut patterns = Vec::new();
        for x in segs {
            patterns.push(x.to_string());
            for y in segs {
                patterns.push(format!("{x}/{y}"));
                for z in ["**", "a", "*"] {
                    patterns.push(format!("{x}/{y}/{z}"));
                    patterns.push(format!("{z}/{x}/{y}"));
                }
            }
        }
        let mut paths: Vec<Vec<&str>> = vec![vec![]];
        for depth in 1..=4 {
            let mut more = Vec::new();
            for p in paths.iter().filter(|p| p.len() == depth - 1) {
                for n in names.iter().filter(|n| !n.is_empty() || depth == 1) {
                    let mut q = p.clone();
                    q.push(n);
                    more.push(q);
                }
            }
            paths.extend(more);
        }
        for pat in &patterns {
            let Ok(p) = Pattern::compile(pat, true) else { continue };
            for parts in &paths {
                assert_eq!(match_segs(&p.segs, parts), reference_segs(&p.segs, parts), "{pat} vs {parts:?}");
            }
            for s in p.segs.iter().filter_map(|s| if let Seg::Glob(t) = s { Some(t) } else { None }) {
                for n in names {
                    assert_eq!(match_glob(s, n), reference_glob(s, n), "{pat} vs {n:?}");
                }
            }
        }
    }

    #[test]
    fn stale_rules_agree_with_a_full_scan() {
        let text =
            "* @a\n/src/ @b\n/src/api/*.rs @c\n/srcx/ @d\n*.md @e\n/docs/**/x @f\n/src/api @g\n/a/b/c/ @h\n/z @i\n";
        let (rs, _) = parse(text);
        let paths = ["src/api/a.rs", "src/lib.rs", "docs/a/b/x", "README.md", "srcx", "a/b/c", "z/q"];
        let naive: Vec<usize> =
            (0..rs.rules.len()).filter(|&i| !paths.iter().any(|p| rs.rules[i].matches(p))).collect();
        assert_eq!(rs.stale_rules(&paths), naive);
        assert_eq!(naive.iter().map(|&i| rs.rules[i].line).collect::<Vec<_>>(), vec![4, 8]);
    }
}
