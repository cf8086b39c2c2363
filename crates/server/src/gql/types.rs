//! GraphQL types: kind enums, evidence, the `Entity` interface and one
//! object per node kind.

use async_graphql::{Context, Enum, Interface, Object, SimpleObject, ID};
use brain_graph::Graph;
use brain_model::{attr, Edge, EdgeKind, Node, NodeKind, Origin, Provenance};
use std::sync::Arc;

macro_rules! mirror_enum {
    ($gql:ident, $model:ident, $name:literal, $doc:literal, { $($v:ident),* $(,)? }) => {
        #[doc = $doc]
        #[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
        #[graphql(name = $name)]
        pub enum $gql { $($v,)* }
        impl From<$model> for $gql {
            fn from(k: $model) -> Self { match k { $($model::$v => $gql::$v,)* } }
        }
        impl From<$gql> for $model {
            fn from(k: $gql) -> Self { match k { $($gql::$v => $model::$v,)* } }
        }
    };
}

mirror_enum!(NodeKindGql, NodeKind, "NodeKind", "What an entity is.", {
    Repo, Package, Service, File, Symbol, Spec, Operation, Topic, DataType, Field, Owner, Decision, Failure,
    Lesson, Run, Test, Document, CiJob, Flag, Image,
});

mirror_enum!(EdgeKindGql, EdgeKind, "EdgeKind", "How two entities relate (edges point from subject to object).", {
    Contains, Imports, Calls, ReadsField, WritesField, DependsOn, Exposes, Consumes, Publishes, Subscribes,
    UsesType, HasField, Implements, Owns, Governs, Supersedes, Amends, Affected, LearnedFrom, AppliesTo, Tests,
    Repeats, Touched, BuiltFrom, CopyOf, Mentions, Runs, ChangedWith, Evaluates, Includes,
});

/// Whether a fact was stated by a source or inferred by a heuristic.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "Origin")]
pub enum OriginGql {
    Declared,
    Inferred,
}

/// Edge direction relative to an entity.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum Direction {
    Outgoing,
    Incoming,
    #[default]
    Both,
}

/// Where a fact came from: a reviewer can open `repo@commit:path:startLine`.
#[derive(SimpleObject, Clone, Debug)]
pub struct Evidence {
    pub repo: String,
    pub path: String,
    pub start_line: Option<u32>,
    pub end_line: Option<u32>,
    /// The ingestor (or `api`, `linker`) that produced the fact.
    pub ingestor: String,
    pub origin: OriginGql,
    /// 1.0 for declared facts.
    pub confidence: f64,
    /// The repo's indexed commit, when it is a git checkout.
    pub commit: Option<String>,
    /// `repo:path:line` for people.
    pub location: String,
}

impl Evidence {
    pub fn from_prov(p: &Provenance, graph: &Graph) -> Self {
        Evidence {
            repo: p.repo.to_string(),
            path: p.path.to_string(),
            start_line: p.span.map(|s| s.start_line),
            end_line: p.span.map(|s| s.end_line),
            ingestor: p.ingestor.to_string(),
            origin: match p.origin {
                Origin::Declared => OriginGql::Declared,
                Origin::Inferred { .. } => OriginGql::Inferred,
            },
            confidence: f64::from(p.origin.confidence()),
            commit: graph.repo(&p.repo).and_then(|r| r.commit.clone()),
            location: p.location(),
        }
    }
}

/// A key/value attribute of an entity.
#[derive(SimpleObject, Clone, Debug)]
pub struct Attribute {
    pub key: String,
    pub value: String,
}

/// A node in a snapshot. Resolvers clone the `Arc`, never the graph.
#[derive(Clone)]
pub struct NodeRef {
    pub graph: Arc<Graph>,
    pub node: Node,
}

impl NodeRef {
    pub fn new(graph: Arc<Graph>, node: Node) -> Self {
        NodeRef { graph, node }
    }
    pub fn attr(&self, key: &str) -> Option<String> {
        self.node.attr(key).map(str::to_string)
    }
    pub fn entity(self) -> Entity {
        Entity::from_ref(self)
    }
}

/// An edge seen from one end.
#[derive(Clone)]
pub struct EdgeView {
    pub graph: Arc<Graph>,
    pub edge: Edge,
    pub other: Node,
    pub outgoing: bool,
}

#[Object]
impl EdgeView {
    async fn kind(&self) -> EdgeKindGql {
        self.edge.kind.into()
    }
    /// `OUTGOING` when the entity asked about is the edge's subject.
    async fn direction(&self) -> Direction {
        if self.outgoing {
            Direction::Outgoing
        } else {
            Direction::Incoming
        }
    }
    /// The Backstage name of the relation as read from the entity asked about, if any (`ownedBy`).
    async fn relation(&self) -> String {
        let named =
            if self.outgoing { self.edge.kind.backstage_name() } else { self.edge.kind.backstage_reverse_name() };
        named.map(str::to_string).unwrap_or_else(|| self.edge.kind.as_str().to_string())
    }
    async fn from_id(&self) -> ID {
        ID(self.edge.from.0.to_string())
    }
    async fn to_id(&self) -> ID {
        ID(self.edge.to.0.to_string())
    }
    /// The entity at the other end.
    async fn node(&self) -> Entity {
        NodeRef::new(self.graph.clone(), self.other.clone()).entity()
    }
    async fn evidence(&self) -> Evidence {
        Evidence::from_prov(&self.edge.prov, &self.graph)
    }
    async fn attributes(&self) -> Vec<Attribute> {
        self.edge.attrs.iter().map(|(k, v)| Attribute { key: k.to_string(), value: v.clone() }).collect()
    }
}

/// A page of edges.
#[derive(SimpleObject)]
pub struct EdgePage {
    pub edges: Vec<EdgeView>,
    /// Pass as `after` to get the next page; null on the last page.
    pub end_cursor: Option<String>,
    pub has_next_page: bool,
    pub total_count: usize,
}

/// Neighbour edges of a node, filtered and paginated (offset cursors); the
/// page counts against the request's edge budget.
pub fn edge_page(
    ctx: &Context<'_>,
    graph: &Arc<Graph>,
    id: &brain_model::NodeId,
    kinds: Option<&[EdgeKindGql]>,
    direction: Direction,
    first: usize,
    after: Option<&str>,
) -> async_graphql::Result<EdgePage> {
    let offset = match after {
        None => 0,
        Some(c) => c.parse::<usize>().map_err(|_| super::err("BAD_INPUT", format!("invalid cursor '{c}'")))?,
    };
    let kinds: Option<Vec<EdgeKind>> = kinds.map(|ks| ks.iter().map(|k| EdgeKind::from(*k)).collect());
    let keep = |e: &Edge| kinds.as_ref().is_none_or(|ks| ks.contains(&e.kind));
    let mut all: Vec<EdgeView> = Vec::new();
    if direction != Direction::Incoming {
        all.extend(graph.outgoing(id).filter(|e| keep(e.edge)).map(|e| EdgeView {
            graph: graph.clone(),
            edge: e.edge.clone(),
            other: e.other.clone(),
            outgoing: true,
        }));
    }
    if direction != Direction::Outgoing {
        all.extend(graph.incoming(id).filter(|e| keep(e.edge)).map(|e| EdgeView {
            graph: graph.clone(),
            edge: e.edge.clone(),
            other: e.other.clone(),
            outgoing: false,
        }));
    }
    all.sort_by(|a, b| (a.edge.kind, &a.other.id, a.outgoing).cmp(&(b.edge.kind, &b.other.id, b.outgoing)));
    let total = all.len();
    let first = first.clamp(1, 500);
    let page: Vec<EdgeView> = all.into_iter().skip(offset).take(first).collect();
    super::charge_edges(ctx, page.len())?;
    let next = offset + page.len();
    Ok(EdgePage {
        end_cursor: (next < total).then(|| next.to_string()),
        has_next_page: next < total,
        total_count: total,
        edges: page,
    })
}

macro_rules! entity_objects {
    ($( $ty:ident : $kind:ident, $doc:literal { $( $(#[$fdoc:meta])* $field:ident => $key:expr ),* $(,)? } )*) => {
        $(
            #[doc = $doc]
            pub struct $ty(pub NodeRef);

            #[Object]
            impl $ty {
                /// Stable id derived from the source.
                async fn id(&self) -> ID { ID(self.0.node.id.0.to_string()) }
                async fn kind(&self) -> NodeKindGql { self.0.node.kind.into() }
                async fn name(&self) -> &str { &self.0.node.name }
                /// The repository the entity was declared in (empty for API records).
                async fn repo(&self) -> Option<&str> {
                    let r = self.0.node.prov.repo.as_str();
                    (!r.is_empty()).then_some(r)
                }
                async fn path(&self) -> Option<&str> {
                    let p = self.0.node.prov.path.as_str();
                    (!p.is_empty()).then_some(p)
                }
                async fn evidence(&self) -> Evidence { Evidence::from_prov(&self.0.node.prov, &self.0.graph) }
                async fn attributes(&self) -> Vec<Attribute> {
                    self.0.node.attrs.iter().map(|(k, v)| Attribute { key: k.to_string(), value: v.clone() }).collect()
                }
                /// One attribute by key.
                async fn attribute(&self, key: String) -> Option<String> { self.0.attr(&key) }
                /// Searchable text (doc comment, body), cut to `maxChars`.
                async fn text(&self, #[graphql(default = 2000)] max_chars: usize) -> String {
                    self.0.node.text.chars().take(max_chars).collect()
                }
                /// Edges of this entity.
                #[graphql(complexity = "2 + first.clamp(1, 500) * child_complexity")]
                async fn neighbors(
                    &self,
                    ctx: &Context<'_>,
                    edge_kinds: Option<Vec<EdgeKindGql>>,
                    #[graphql(default)] direction: Direction,
                    #[graphql(default = 50)] first: usize,
                    after: Option<String>,
                ) -> async_graphql::Result<EdgePage> {
                    edge_page(ctx, &self.0.graph, &self.0.node.id, edge_kinds.as_deref(), direction, first, after.as_deref())
                }
                $(
                    $(#[$fdoc])*
                    async fn $field(&self) -> Option<String> { self.0.attr($key) }
                )*
            }
        )*

        /// Any entity in the graph.
        #[derive(Interface)]
        #[graphql(
            field(name = "id", ty = "ID"),
            field(name = "kind", ty = "NodeKindGql"),
            field(name = "name", ty = "&str"),
            field(name = "repo", ty = "Option<&str>"),
            field(name = "path", ty = "Option<&str>"),
            field(name = "evidence", ty = "Evidence"),
            field(name = "attributes", ty = "Vec<Attribute>"),
            field(
                name = "neighbors",
                ty = "EdgePage",
                arg(name = "edge_kinds", ty = "Option<Vec<EdgeKindGql>>"),
                arg(name = "direction", ty = "Direction", default),
                arg(name = "first", ty = "usize", default = 50),
                arg(name = "after", ty = "Option<String>")
            )
        )]
        pub enum Entity { $( $ty($ty), )* }

        impl Entity {
            pub fn from_ref(r: NodeRef) -> Entity {
                match r.node.kind { $( NodeKind::$kind => Entity::$ty($ty(r)), )* }
            }
        }
    };
}

entity_objects! {
    RepoNode: Repo, "A repository." { commit => "commit", root => "root" }
    PackageNode: Package, "A package from a manifest (or an external dependency)." {
        ecosystem => attr::ECOSYSTEM, version => attr::VERSION, external => attr::EXTERNAL, dir => attr::DIR
    }
    ServiceNode: Service, "A running service (compose, Kubernetes, Backstage component)." { image => "image", system => "system" }
    FileNode: File, "A file in a repository." {
        language => attr::LANGUAGE, size => attr::SIZE, test => attr::TEST, generated => attr::GENERATED
    }
    SymbolNode: Symbol, "A definition in code." {
        symbol_kind => attr::SYMBOL_KIND, qualified_name => attr::QUALIFIED_NAME, signature => attr::SIGNATURE,
        doc => attr::DOC, language => attr::LANGUAGE
    }
    SpecNode: Spec, "An API contract document." { format => attr::FORMAT, version => attr::VERSION }
    OperationNode: Operation, "Something a consumer invokes: an HTTP route, an rpc, a GraphQL root field, a channel operation." {
        protocol => attr::PROTOCOL, method => attr::HTTP_METHOD, http_path => attr::HTTP_PATH, topic => attr::TOPIC
    }
    TopicNode: Topic, "A message channel or topic." { topic => attr::TOPIC }
    DataTypeNode: DataType, "A shape on the wire." { format => attr::FORMAT, language => attr::LANGUAGE }
    FieldNode: Field, "A field of a data type, with its name on the wire." {
        wire_name => attr::WIRE_NAME, r#type => attr::TYPE, required => attr::REQUIRED, nullable => attr::NULLABLE
    }
    OwnerNode: Owner, "A team or person that owns things." { owner_type => "owner_type" }
    DecisionNode: Decision, "An architecture decision record." {
        status => attr::STATUS, current_status => "current_status", date => attr::DATE
    }
    FailureNode: Failure, "A past failure: an incident, a failed test run, a failure recorded by an agent." {
        severity => attr::SEVERITY, date => attr::DATE, status => attr::STATUS
    }
    LessonNode: Lesson, "A lesson learned, attached to the entities it concerns." {
        status => attr::STATUS, tags => "tags", author => "author", valid_from => "valid_from", valid_until => "valid_until"
    }
    RunNode: Run, "An agent run and its outcome." { state => "state", agent => "agent" }
    TestNode: Test, "A test function or test file." { language => attr::LANGUAGE }
    DocumentNode: Document, "Agent instructions, runbooks, skills." { doc_kind => "doc_kind", applies_to => "applies_to" }
    CiJobNode: CiJob, "A CI job." { triggers => "triggers", commands => "commands" }
    FlagNode: Flag, "A feature flag as one file defines it (flagd, Flipt, an OpenFeature operator FeatureFlag)." {
        flag_format => "flag_format", default_variant => "default_variant", variants => "variants", state => "state"
    }
    ImageNode: Image, "A container image as a Dockerfile builds it." {
        base_images => "base_images", stages => "stages"
    }
}

/// The current snapshot from the request context.
pub fn snapshot(ctx: &Context<'_>) -> Arc<Graph> {
    ctx.data_unchecked::<super::Ctx>().brain.snapshot()
}
