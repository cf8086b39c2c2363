//! What the flow evaluator knows about libraries: gRPC stub constructors and
//! stub types per language, envelope accessors (a response's body, a message's
//! value), decoders and encoders, collection methods, accessor naming. Word
//! lists, kept apart from the evaluator so that adding a library is a line here.

use super::ir::TypeExpr;
use crate::lang::Lang;

/// The gRPC service a stub constructor call builds: `pb.NewCartServiceClient(conn)`,
/// `demo_pb2_grpc.CartServiceStub(ch)`, `CartServiceGrpc.newBlockingStub(ch)`,
/// `CartServiceGrpcKt.CartServiceCoroutineStub(ch)`, `new Cart.CartClient(ch)`,
/// `CartServiceClient::connect(addr)`, `CartService::NewStub(ch)`.
pub fn stub_from_call(lang: Lang, callee: &str, recv: Option<&str>) -> Option<String> {
    let last = callee.rsplit(['.', ':']).next().unwrap_or(callee);
    let recv_last = recv.map(|r| r.rsplit(['.', ':']).next().unwrap_or(r));
    let s = match lang {
        Lang::Go => last.strip_prefix("New").and_then(|s| s.strip_suffix("Client")),
        Lang::Python => last.strip_suffix("Stub"),
        Lang::Java | Lang::Kotlin => {
            if matches!(last, "newBlockingStub" | "newStub" | "newFutureStub" | "newBlockingV2Stub") {
                recv_last.and_then(|r| r.strip_suffix("Grpc"))
            } else {
                last.strip_suffix("CoroutineStub").or_else(|| last.strip_suffix("BlockingStub"))
            }
        }
        Lang::CSharp => {
            // `new Orders.OrdersClient(channel)`: the client is nested in its service class.
            let svc = last.strip_suffix("Client")?;
            let outer = callee.rsplit_once('.').map(|(q, _)| q.rsplit('.').next().unwrap_or(q));
            (outer == Some(svc)).then_some(svc)
        }
        Lang::Rust => {
            if matches!(last, "new" | "connect" | "with_interceptor" | "with_origin") {
                recv_last
                    .and_then(|r| r.strip_suffix("Client"))
                    .filter(|s| recv.is_some_and(|r| r.contains("_client")) || s.ends_with("Service"))
            } else {
                None
            }
        }
        Lang::TypeScript | Lang::Tsx | Lang::JavaScript => {
            last.strip_suffix("Client").filter(|s| s.ends_with("Service"))
        }
        // `X::NewStub(channel)` (C++), `X::Stub.new(addr, creds)` (Ruby): the service is the qualifier.
        Lang::Cpp if last == "NewStub" => recv_last,
        Lang::Ruby if last == "new" && recv.is_some_and(|r| r.ends_with("::Stub")) => {
            recv.and_then(|r| r.strip_suffix("::Stub")).map(|r| r.rsplit("::").next().unwrap_or(r))
        }
        Lang::Php => last.strip_suffix("Client").filter(|s| s.ends_with("Service")),
        Lang::Cpp | Lang::Ruby => None,
    };
    s.filter(|s| !s.is_empty() && s.starts_with(|c: char| c.is_ascii_uppercase())).map(str::to_string)
}

/// The gRPC service of a stub type: `pb.CartServiceClient` (Go), `CartServiceGrpc.CartServiceBlockingStub`,
/// `Cart.CartClient` (C#), `CartServiceClient<Channel>` (tonic).
pub fn stub_from_type(lang: Lang, t: &TypeExpr) -> Option<String> {
    let n = t.name.as_str();
    let s = match lang {
        Lang::Go => n.strip_suffix("Client").filter(|s| s.ends_with("Service") || !t.qual.is_empty()),
        Lang::Java | Lang::Kotlin => n
            .strip_suffix("BlockingStub")
            .or_else(|| n.strip_suffix("FutureStub"))
            .or_else(|| n.strip_suffix("CoroutineStub"))
            .or_else(|| n.strip_suffix("BlockingV2Stub"))
            .or_else(|| n.strip_suffix("Stub").filter(|_| t.qual.ends_with("Grpc") || t.qual.ends_with("GrpcKt"))),
        Lang::CSharp => n
            .strip_suffix("Client")
            .filter(|s| t.qual.rsplit('.').next() == Some(*s) || t.qual.is_empty() && s.ends_with("Service")),
        Lang::Rust => n.strip_suffix("Client").filter(|s| t.qual.contains("_client") || s.ends_with("Service")),
        Lang::Python => n.strip_suffix("Stub"),
        Lang::TypeScript | Lang::Tsx | Lang::JavaScript => n.strip_suffix("Client").filter(|s| s.ends_with("Service")),
        // `std::unique_ptr<X::Stub>` / `X::Stub` (C++), `X::Stub.new(..)` (Ruby).
        Lang::Cpp | Lang::Ruby if n == "Stub" => t.qual.rsplit(['.', ':']).next(),
        // `OrderServiceClient` (the lowering makes other files' `XClient`s opaque).
        Lang::Php => n.strip_suffix("Client").filter(|s| !is_sdk_client(s)),
        Lang::Cpp | Lang::Ruby => None,
    };
    s.filter(|s| !s.is_empty() && s.starts_with(|c: char| c.is_ascii_uppercase())).map(str::to_string)
}

/// Client classes that are HTTP, SOAP or cloud SDK clients rather than gRPC stubs (`HttpClient`, `S3Client`).
fn is_sdk_client(prefix: &str) -> bool {
    let l = prefix.to_ascii_lowercase();
    l.is_empty()
        || ["http", "guzzle", "soap", "redis", "rest", "api", "s3", "sqs", "sns", "mail", "db", "sdk", "oauth"]
            .iter()
            .any(|k| l.ends_with(k))
}

/// Whether a method of a gRPC server class has the shape of an rpc handler, by its parameter types:
/// a `StreamObserver` (Java), a `ServerCallContext` (C#), a `Request<T>` (tonic). Other languages'
/// server types hold nothing but handlers, or their helpers are told apart elsewhere.
pub fn is_rpc_signature<'a>(lang: Lang, mut params: impl Iterator<Item = Option<&'a TypeExpr>>) -> bool {
    let want: &[&str] = match lang {
        Lang::Java => &["StreamObserver", "ServerCallStreamObserver"],
        Lang::CSharp => &["ServerCallContext", "IServerStreamWriter", "IAsyncStreamReader"],
        Lang::Rust => &["Request", "Streaming"],
        Lang::Cpp => &["ServerContext", "CallbackServerContext", "ServerContextBase"],
        // Ruby handlers take `(request, call)`.
        Lang::Ruby => return params.count() == 2,
        _ => return true,
    };
    params.any(|t| t.is_some_and(|t| want.contains(&t.name.as_str())))
}

/// The rpc name a stub method call names: `GetCart` (Go, Python), `getCart` (Java, JS),
/// `GetCartAsync` (C#), `get_cart` (Rust).
pub fn rpc_method(lang: Lang, name: &str) -> Option<String> {
    let base = match lang {
        Lang::CSharp => name.strip_suffix("Async").unwrap_or(name),
        // `AsyncGetQuote` / `PrepareAsyncGetQuote` start the rpc `GetQuote`.
        Lang::Cpp => name
            .strip_prefix("PrepareAsync")
            .or_else(|| name.strip_prefix("Async"))
            .filter(|r| r.starts_with(|c: char| c.is_ascii_uppercase()))
            .unwrap_or(name),
        _ => name,
    };
    if base.is_empty() || !base.starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    // Go stubs and servers only have exported methods.
    if lang == Lang::Go && !base.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    if matches!(
        base,
        "Close"
            | "close"
            | "withDeadline"
            | "withDeadlineAfter"
            | "withCallCredentials"
            | "withInterceptors"
            | "withOption"
            | "withWaitForReady"
            | "withCompression"
            | "withExecutor"
            | "getChannel"
            | "WithCallOptions"
            | "with_interceptor"
            | "max_decoding_message_size"
            | "send_compressed"
            | "accept_compressed"
            | "clone"
            | "future"
            | "with_call"
            | "waitForReady"
            | "getCallOptions"
            | "close_async"
            | "async"
            | "experimental_async"
    ) {
        return None;
    }
    Some(pascal(base))
}

/// Stub methods that give the stub again (C++ `stub_->async()->GetQuote(..)`).
pub fn is_stub_passthrough(lang: Lang, name: &str) -> bool {
    lang == Lang::Cpp && matches!(name, "async" | "experimental_async")
}

/// Methods of a pending call that give its result (PHP gRPC `$client->GetCart($req)->wait()`).
pub fn is_call_result(name: &str) -> bool {
    matches!(name, "wait" | "result")
}

/// Functions taking a response envelope that give its body (PHP `curl_exec($ch)`).
pub fn is_body_reader(name: &str) -> bool {
    matches!(name, "curl_exec" | "wp_remote_retrieve_body")
}

/// Message envelope classes whose constructor's first argument is the body
/// (php-amqplib `new AMQPMessage(json_encode($payload))`).
pub fn is_envelope_class(name: &str) -> bool {
    matches!(name, "AMQPMessage" | "RdKafkaMessage")
}

/// Namespaces of Ruby libraries and the standard library: `Faraday.new(url: u)` configures a
/// client, it builds no payload.
pub fn is_ruby_library_class(path: &str) -> bool {
    let head = path.trim_start_matches("::").split("::").next().unwrap_or(path);
    matches!(
        head,
        "Faraday"
            | "Net"
            | "HTTParty"
            | "HTTP"
            | "HTTPX"
            | "RestClient"
            | "Excon"
            | "Typhoeus"
            | "Bunny"
            | "Kafka"
            | "Rdkafka"
            | "Karafka"
            | "WaterDrop"
            | "Redis"
            | "Logger"
            | "GRPC"
            | "Aws"
            | "Google"
            | "Sidekiq"
            | "ActiveSupport"
            | "ActiveRecord"
            | "Rails"
            | "Sinatra"
            | "Concurrent"
            | "Thread"
            | "Mutex"
            | "OpenTelemetry"
            | "URI"
            | "Time"
            | "Date"
            | "DateTime"
            | "Hash"
            | "Array"
            | "Set"
            | "String"
            | "Struct"
            | "Class"
            | "Module"
            | "Proc"
            | "StandardError"
            | "RuntimeError"
            | "ArgumentError"
    )
}

/// Static methods that build a value of their class from data (`OrderDto::fromArray($data)`,
/// `Order.from_json(body)`, `Order::hydrate($row)`): the class is the decoded type. Other static
/// calls (`Log::info($data)`, `JSON.parse(s)`) are not about their class.
pub fn is_static_factory(name: &str) -> bool {
    let from = name.strip_prefix("from").or_else(|| name.strip_prefix("From"));
    from.is_some_and(|r| r.starts_with(|c: char| c.is_ascii_uppercase() || c == '_'))
        || matches!(name, "hydrate" | "deserialize" | "denormalize" | "parse_obj" | "model_validate")
}

/// A C++ protobuf accessor other than the plain read `x()`: `set_x(v)`, `mutable_x()`,
/// `add_x()` / `add_x(v)`, `clear_x()` write field `x`; `x_size()`, `has_x()` read it;
/// `x(i)` reads an element; `Add()` on a repeated field gives a new element.
#[derive(Debug, PartialEq)]
pub struct Accessor {
    /// The field's name (`x`), for the value the accessor gives.
    pub field: String,
    /// The `ACCESS` attribute of the fact (`setter`, `call`); none for `Add()`.
    pub access: Option<&'static str>,
    pub write: bool,
    /// The accessor gives an element of the field (`add_x()`, `x(i)`, `Add()`).
    pub elem: bool,
}

/// The C++ protobuf accessor `name` called with `nargs` arguments is, if any.
pub fn proto_accessor(lang: Lang, name: &str, nargs: usize) -> Option<Accessor> {
    if lang != Lang::Cpp || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        return (lang == Lang::Cpp && name == "Add" && nargs == 0).then(|| Accessor {
            field: String::new(),
            access: None,
            write: false,
            elem: true,
        });
    }
    let acc = |field: &str, access, write, elem| {
        (!field.is_empty()).then(|| Accessor { field: field.to_string(), access: Some(access), write, elem })
    };
    if let Some(f) = name.strip_prefix("set_").filter(|_| nargs >= 1) {
        return acc(f, "setter", true, false);
    }
    if let Some(f) = name.strip_prefix("mutable_").filter(|_| nargs == 0) {
        return acc(f, "setter", true, false);
    }
    if let Some(f) = name.strip_prefix("add_") {
        return acc(f, "setter", true, nargs == 0);
    }
    if let Some(f) = name.strip_prefix("clear_").filter(|_| nargs == 0) {
        return acc(f, "setter", true, false);
    }
    if let Some(f) = name.strip_prefix("has_").filter(|_| nargs == 0) {
        return acc(f, "call", false, false);
    }
    if let Some(f) = name.strip_suffix("_size").filter(|_| nargs == 0) {
        return acc(f, "call", false, false);
    }
    if nargs == 1 && !is_cpp_std_method(name) {
        return acc(name, "call", false, true);
    }
    None
}

/// `get_cart` -> `GetCart`, `getCart` -> `GetCart`.
pub fn pascal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut up = true;
    for c in s.chars() {
        if c == '_' {
            up = true;
            continue;
        }
        if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A member of a response envelope that is its body (`resp.data`, `r.Body`, `res.body`, `response.Content`).
pub fn is_response_body(name: &str) -> bool {
    matches!(name, "data" | "Body" | "body" | "Content" | "content" | "Data" | "result" | "Result" | "json")
}

/// A method of a response envelope that yields its decoded body (`res.json()`, `resp.getBody()`).
pub fn is_response_body_method(name: &str) -> bool {
    matches!(
        name,
        "json"
            | "text"
            | "getBody"
            | "body"
            | "readEntity"
            | "ReadFromJsonAsync"
            | "ReadAsStringAsync"
            | "ReadAsStreamAsync"
            | "ReadAsAsync"
            | "bodyToMono"
            | "bodyToFlux"
            | "block"
            | "getContent"
            | "content"
            | "bytes"
            | "to_dict"
            | "as_json"
            | "parsed_response"
            | "toEntity"
            | "into_inner"
            | "get_ref"
            | "getMessage"
            | "get_json"
            | "get_data"
    )
}

/// A member or method of a message envelope that is its payload
/// (kafka `msg.Value` / `record.value()`, NATS `msg.Data` / `msg.data`, AMQP `d.Body` / `msg.content`,
/// rdkafka `m.payload()`, Spring `message.getPayload()`).
pub fn is_message_payload(name: &str) -> bool {
    matches!(
        name,
        "Value"
            | "value"
            | "Data"
            | "data"
            | "Body"
            | "body"
            | "content"
            | "payload"
            | "Payload"
            | "getPayload"
            | "getBody"
            | "getValue"
            | "json"
            | "text"
            | "payload_view"
            | "decode"
            | "getContents"
    )
}

/// An envelope member that is the envelope itself one level down (C# `result.Message` of a ConsumeResult).
pub fn is_message_wrapper(name: &str) -> bool {
    matches!(name, "Message" | "message" | "msg" | "record")
}

/// Methods of a consumer or subscription that hand out its messages.
pub fn is_poll(name: &str) -> bool {
    matches!(
        name,
        "poll"
            | "Poll"
            | "consume"
            | "Consume"
            | "ReadMessage"
            | "FetchMessage"
            | "NextMsg"
            | "NextMsgWithContext"
            | "Next"
            | "next"
            | "fetch"
            | "Fetch"
            | "receive"
            | "recv"
            | "Messages"
            | "messages"
            | "getone"
            | "getmany"
            | "get_message"
            | "ReceiveMessage"
            | "receive_message"
            | "Receive"
            | "stream"
            | "iter"
    )
}

/// Decoder calls (the result is the decoded argument): `json.loads`, `JSON.parse`, `json.Unmarshal`,
/// `objectMapper.readValue`, `JsonSerializer.Deserialize`, `serde_json::from_slice`, `jc.decode`.
pub fn is_decoder(name: &str) -> bool {
    matches!(
        name,
        "loads"
            | "load"
            | "parse"
            | "Unmarshal"
            | "Decode"
            | "decode"
            | "readValue"
            | "readTree"
            | "convertValue"
            | "fromJson"
            | "Deserialize"
            | "DeserializeAsync"
            | "DeserializeObject"
            | "from_str"
            | "from_slice"
            | "from_value"
            | "from_reader"
            | "model_validate"
            | "model_validate_json"
            | "parse_obj"
            | "parse_raw"
            | "parse_obj_as"
            | "validate_python"
            | "validate_json"
            | "FromString"
            | "ParseFromString"
            | "parseFrom"
            | "toString"
            | "to_string"
            | "String"
            | "str"
            | "bytes"
            | "utf8"
            | "decodeString"
            | "GetString"
            | "toObject"
            | "json_decode"
            | "unpack"
            | "from_json"
            | "fromJSON"
            | "deserialize"
            | "deserializeBinary"
            | "jsonDecode"
            | "cast"
    )
}

/// Encoder calls (the result carries the argument's shape): `json.Marshal`, `JSON.stringify`,
/// `json.dumps`, `JsonSerializer.Serialize`, `writeValueAsString`, `serde_json::to_vec`, `jc.encode`.
pub fn is_encoder(name: &str) -> bool {
    matches!(
        name,
        "Marshal"
            | "MarshalIndent"
            | "stringify"
            | "dumps"
            | "dump"
            | "Serialize"
            | "SerializeAsync"
            | "SerializeObject"
            | "SerializeToUtf8Bytes"
            | "writeValueAsString"
            | "writeValueAsBytes"
            | "toJson"
            | "to_json"
            | "toJSON"
            | "to_vec"
            | "to_string"
            | "to_writer"
            | "encode"
            | "Encode"
            | "from"
            | "SerializeToString"
            | "toByteArray"
            | "toByteString"
            | "serializeBinary"
            | "model_dump"
            | "model_dump_json"
            | "dict"
            | "json"
            | "asdict"
            | "json_encode"
            | "pack"
            | "GetBytes"
            | "encodeToString"
            | "jsonEncode"
            | "Buffer"
            | "JsonContent"
            | "StringContent"
            | "Create"
            | "ByteEncoder"
            | "StringEncoder"
            | "generate"
    )
}

/// The members of a message envelope that hold its payload (nats `msg.data`, aiokafka
/// `record.value`, aio-pika `message.body`).
pub fn is_envelope_payload(member: &str) -> bool {
    matches!(member, "data" | "value" | "body" | "payload")
}

/// Collection methods that make a list of what their lambda returns for each element.
pub fn is_element_mapper(name: &str) -> bool {
    matches!(name, "map" | "Select" | "flatMap" | "SelectMany")
}

/// Collection methods whose lambda receives an element (`xs.map(x => x.name)`, `xs.forEach`,
/// `list.stream().map(p -> p.getName())`, `items.Select(i => i.Id)`).
pub fn is_element_lambda(name: &str) -> bool {
    matches!(
        name,
        "map"
            | "forEach"
            | "filter"
            | "flatMap"
            | "find"
            | "findIndex"
            | "some"
            | "every"
            | "reduce"
            | "each"
            | "ForEach"
            | "Select"
            | "SelectMany"
            | "Where"
            | "First"
            | "FirstOrDefault"
            | "SingleOrDefault"
            | "Single"
            | "LastOrDefault"
            | "Count"
            | "Any"
            | "All"
            | "Sum"
            | "OrderBy"
            | "mapToInt"
            | "mapToLong"
            | "mapToDouble"
            | "anyMatch"
            | "allMatch"
            | "sorted"
            | "sortedBy"
            | "sortBy"
            | "groupBy"
            | "associateBy"
            | "filterNot"
            | "forEachIndexed"
            | "mapNotNull"
            | "sumOf"
            | "iter"
            | "for_each"
            | "any"
            | "all"
            | "collect"
            | "select"
            | "reject"
            | "detect"
            | "each_with_index"
            | "each_with_object"
            | "flat_map"
            | "find_all"
            | "sum"
            | "min_by"
            | "max_by"
            | "sort_by"
            | "group_by"
            | "index_by"
    )
}

/// Collection methods returning an element (`xs.get(0)`, `xs.first()`, `list.First()`).
pub fn is_element_method(name: &str) -> bool {
    matches!(
        name,
        "SingleOrDefault"
            | "LastOrDefault"
            | "findFirst"
            | "orElse"
            | "orElseThrow"
            | "get"
            | "first"
            | "last"
            | "First"
            | "Last"
            | "FirstOrDefault"
            | "firstOrNull"
            | "at"
            | "pop"
            | "Single"
            | "next"
    )
}

/// Collection methods returning the same collection (`xs.filter(..)`, `list.stream()`).
pub fn is_same_collection(name: &str) -> bool {
    matches!(
        name,
        "filter"
            | "stream"
            | "sorted"
            | "sort"
            | "slice"
            | "Where"
            | "OrderBy"
            | "ToList"
            | "toList"
            | "collect"
            | "iter"
            | "into_iter"
            | "reverse"
            | "copy"
            | "filterNot"
            | "sortedBy"
            | "AsEnumerable"
            | "ToArray"
            | "values"
            | "with_indifferent_access"
            | "symbolize_keys"
            | "deep_symbolize_keys"
            | "stringify_keys"
            | "deep_stringify_keys"
            | "to_h"
            | "to_hash"
            | "select"
            | "reject"
    )
}

/// Whether a method called with no arguments on a typed value reads a field, and how:
/// `GetName()` / `getName()` / `isActive()` / `hasAddress()` are getters; in C++ and Rust
/// (prost) a field is read by calling `name()`.
pub fn getter(lang: Lang, name: &str) -> Option<&'static str> {
    let upper_after = |p: &str| name.strip_prefix(p).is_some_and(|r| r.starts_with(|c: char| c.is_ascii_uppercase()));
    // PSR-7 methods of a PHP response or stream are no field reads (`->getBody()->getContents()`).
    if lang == Lang::Php
        && matches!(
            name,
            "getContents"
                | "getStatusCode"
                | "getReasonPhrase"
                | "getHeaders"
                | "getHeaderLine"
                | "getHeader"
                | "getSize"
                | "getMetadata"
        )
    {
        return None;
    }
    if upper_after("get") || upper_after("Get") || upper_after("is") || upper_after("has") || upper_after("Has") {
        return Some("getter");
    }
    match lang {
        Lang::Rust
            if name.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
                && !is_rust_std_method(name) =>
        {
            Some("call")
        }
        // Ruby methods without arguments (`reply.total`, `data.order_id`), C++ protobuf reads (`reply.cost_usd()`).
        Lang::Ruby
            if name.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
                && !is_ruby_std_method(name) =>
        {
            Some("call")
        }
        Lang::Cpp
            if name.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
                && !is_cpp_std_method(name) =>
        {
            Some("call")
        }
        Lang::Kotlin if name.starts_with("component") => None,
        _ => None,
    }
}

/// Methods of Ruby's core and Rails objects that a call with no arguments on a typed value
/// means instead of a field read.
fn is_ruby_std_method(name: &str) -> bool {
    matches!(
        name,
        "to_s"
            | "to_i"
            | "to_f"
            | "to_a"
            | "to_h"
            | "to_hash"
            | "to_sym"
            | "to_json"
            | "to_proto"
            | "inspect"
            | "class"
            | "dup"
            | "clone"
            | "freeze"
            | "each"
            | "map"
            | "keys"
            | "values"
            | "size"
            | "length"
            | "count"
            | "first"
            | "last"
            | "compact"
            | "flatten"
            | "uniq"
            | "sort"
            | "reverse"
            | "sum"
            | "min"
            | "max"
            | "strip"
            | "downcase"
            | "upcase"
            | "join"
            | "split"
            | "with_indifferent_access"
            | "symbolize_keys"
            | "deep_symbolize_keys"
            | "stringify_keys"
            | "deep_stringify_keys"
            | "wait"
            | "call"
            | "then"
            | "tap"
            | "itself"
            | "hash"
            | "object_id"
            | "send"
            | "new"
    )
}

/// Methods of C++ standard and gRPC types that a call with no arguments means instead of a
/// protobuf field read.
fn is_cpp_std_method(name: &str) -> bool {
    matches!(
        name,
        "size"
            | "empty"
            | "length"
            | "c_str"
            | "data"
            | "begin"
            | "end"
            | "cbegin"
            | "cend"
            | "rbegin"
            | "rend"
            | "front"
            | "back"
            | "get"
            | "release"
            | "reset"
            | "ok"
            | "error_code"
            | "error_message"
            | "error_details"
            | "str"
            | "clear"
            | "at"
            | "find"
            | "count"
            | "value"
            | "has_value"
            | "value_or"
            | "lock"
            | "swap"
            | "push_back"
            | "emplace_back"
            | "pop_back"
            | "substr"
            | "to_string"
            | "ByteSizeLong"
            | "SerializeAsString"
            | "DebugString"
            | "ShortDebugString"
            | "Utf8DebugString"
            | "first"
            | "second"
            | "wait"
            | "join"
    )
}

/// Methods of Rust's standard types (`Option`, `Result`, `Vec`, `String`, iterators, `Clone`) that a
/// call with no arguments on a typed value means instead of a prost field accessor.
fn is_rust_std_method(name: &str) -> bool {
    matches!(
        name,
        "clone"
            | "unwrap"
            | "expect"
            | "as_ref"
            | "as_mut"
            | "as_str"
            | "as_slice"
            | "as_deref"
            | "to_string"
            | "to_owned"
            | "to_vec"
            | "into"
            | "into_inner"
            | "into_iter"
            | "iter"
            | "iter_mut"
            | "len"
            | "is_empty"
            | "is_some"
            | "is_none"
            | "is_ok"
            | "is_err"
            | "ok"
            | "err"
            | "unwrap_or_default"
            | "await"
            | "collect"
            | "next"
            | "first"
            | "last"
            | "get_ref"
            | "get_mut"
            | "lock"
            | "read"
            | "write"
            | "borrow"
            | "borrow_mut"
            | "take"
            | "cloned"
            | "copied"
            | "count"
            | "sum"
            | "trim"
            | "parse"
            | "json"
            | "text"
            | "bytes"
            | "send"
            | "build"
            | "payload"
            | "metadata"
            | "message"
            | "extensions"
            | "into_parts"
            | "keys"
            | "values"
            | "drain"
            | "rev"
            | "enumerate"
            | "flatten"
    )
}

/// Rust methods of `Option`, `Result` and smart pointers that hand the value on unchanged.
pub fn is_rust_passthrough(name: &str) -> bool {
    matches!(
        name,
        "unwrap"
            | "expect"
            | "unwrap_or_default"
            | "unwrap_or_else"
            | "ok"
            | "context"
            | "with_context"
            | "map_err"
            | "clone"
            | "as_ref"
            | "into_owned"
            | "to_owned"
            | "borrow"
            | "lock"
            | "ok_or"
            | "ok_or_else"
    )
}

/// Whether a method called with one argument on a typed value writes a field
/// (`setName(v)`, `addItems(v)`, `putLabels(k, v)`, `addAllItems(vs)`).
pub fn setter(name: &str) -> bool {
    let upper_after = |p: &str| name.strip_prefix(p).is_some_and(|r| r.starts_with(|c: char| c.is_ascii_uppercase()));
    upper_after("set") || upper_after("add") || upper_after("put") || upper_after("addAll") || upper_after("Set")
}

/// Static methods of a type that give a value of it: `Order.newBuilder()`, `Order.getDefaultInstance()`,
/// `Order::default()`, `Order::new(..)`, `Order.builder()`.
pub fn is_type_factory(name: &str) -> bool {
    matches!(
        name,
        "newBuilder" | "builder" | "toBuilder" | "getDefaultInstance" | "default" | "new" | "Default" | "Empty"
    )
}

/// Classes whose static methods encode or decode other types (`JsonSerializer`, `JsonConvert`, `Gson`).
pub fn is_codec_class(name: &str) -> bool {
    ["Serializer", "Convert", "Json", "JSON", "Gson", "Mapper", "Encoding", "Marshal"].iter().any(|w| name.contains(w))
}

/// Methods that add to a collection (`Items.Add(x)`, `lines.push(l)`, `tags.add(t)`).
pub fn is_collection_mutator(name: &str) -> bool {
    matches!(
        name,
        "Add"
            | "AddRange"
            | "add"
            | "addAll"
            | "push"
            | "append"
            | "extend"
            | "Insert"
            | "insert"
            | "put"
            | "Put"
            | "MergeFrom"
    )
}

/// Methods that finish a builder and give the built value.
pub fn is_build(name: &str) -> bool {
    matches!(name, "build" | "buildPartial" | "Build")
}

/// Calls inside a route handler that send a value as the response: express `res.json(x)` /
/// `res.send(x)`, gin `c.JSON(200, x)`, echo `c.JSON`, `json.NewEncoder(w).Encode(x)`,
/// ASP.NET `Ok(x)`, Spring `ResponseEntity.ok(x)`, Flask `jsonify(x)`, axum `Json(x)`.
pub fn is_response_writer(name: &str) -> bool {
    // Project helpers: `writeJSON(w, 200, v)`, `respondWithJson(..)`, `renderJSON(..)`, `send_json(..)`.
    let l = name.to_ascii_lowercase();
    if l.contains("json")
        && ["write", "respond", "render", "send", "reply", "return", "encode"].iter().any(|p| l.starts_with(p))
    {
        return true;
    }
    matches!(
        name,
        "json"
            | "send"
            | "JSON"
            | "IndentedJSON"
            | "PureJSON"
            | "Encode"
            | "Ok"
            | "ok"
            | "jsonify"
            | "Json"
            | "JsonResult"
            | "Created"
            | "CreatedAtAction"
            | "CreatedAtRoute"
            | "Accepted"
            | "body"
            | "SendJSON"
            | "WriteJSON"
            | "writeJson"
            | "respondWithJSON"
            | "respondJSON"
            | "RespondWithJSON"
            | "WriteAsJsonAsync"
            | "status"
            | "Results"
            | "TypedResults"
            | "JSONResponse"
            | "render"
    )
}

/// Wrapper types around a payload type: `ResponseEntity<T>`, `Json<T>`, `ActionResult<T>`,
/// `Task<T>`, `Mono<T>`, `Promise<T>`, `Optional<T>`, `Result<T, E>`.
pub fn unwrap_payload_type(t: &TypeExpr) -> &TypeExpr {
    let mut cur = t;
    for _ in 0..4 {
        let wrapper = matches!(
            cur.name.as_str(),
            "ResponseEntity"
                | "Json"
                | "ActionResult"
                | "Task"
                | "ValueTask"
                | "Mono"
                | "Promise"
                | "Optional"
                | "Option"
                | "Result"
                | "Ok"
                | "Response"
                | "HttpResponse"
                | "Observable"
                | "CompletableFuture"
                | "Future"
                | "Deferred"
                | "Ok<T>"
                | "Results"
                | "Awaitable"
                | "Coroutine"
                | "Message"
                | "ConsumerRecord"
                | "ConsumeResult"
                | "IActionResult"
                | "Request"
                | "Streaming"
                | "Arc"
                | "Box"
        );
        match (wrapper, cur.args.first()) {
            (true, Some(a)) => cur = a,
            _ => break,
        }
    }
    cur
}

/// Envelope types whose value is a message (`ConsumerRecord<K, V>`, `Message<T>`, `*nats.Msg`,
/// `amqp.Delivery`, `*sarama.ConsumerMessage`, `kafka.Message`, `ConsumeResult<K, V>`).
pub fn is_message_type(t: &TypeExpr) -> bool {
    matches!(
        t.name.as_str(),
        "ConsumerRecord"
            | "ConsumerRecords"
            | "Msg"
            | "Delivery"
            | "ConsumerMessage"
            | "ConsumeResult"
            | "BasicDeliverEventArgs"
            | "KafkaMessage"
            | "EachMessagePayload"
            | "ConsumeMessage"
            | "JsMsg"
            | "BorrowedMessage"
            | "OwnedMessage"
            | "NatsMsg"
            | "IncomingMessage"
            | "AbstractIncomingMessage"
    ) || (t.name == "Message" && !t.qual.is_empty())
}

/// Parameter names that, in a listener or callback, are the message.
pub fn is_message_param(name: &str) -> bool {
    let n = name.trim_start_matches(['_', '$']).to_ascii_lowercase();
    matches!(
        n.as_str(),
        "msg"
            | "message"
            | "m"
            | "record"
            | "rec"
            | "event"
            | "evt"
            | "e"
            | "payload"
            | "delivery"
            | "d"
            | "data"
            | "body"
            | "cr"
            | "consumerecord"
            | "consumerrecord"
            | "ea"
            | "args"
            | "raw"
            | "value"
            | "notification"
            | "envelope"
            | "request"
            | "req"
            | "packet"
            | "item"
            | "result"
    )
}

/// Calls that hand a payload on unchanged in shape (readers, buffers, decoders being built):
/// `json.NewDecoder(r.Body)`, `io.ReadAll(r)`, `bytes.NewReader(b)`, `new TextDecoder().decode(b)`.
pub fn is_payload_passthrough(name: &str) -> bool {
    ["Decoder", "Reader", "Buffer", "ReadAll", "decode", "Bytes", "bytes", "utf8", "String", "string", "text", "Text"]
        .iter()
        .any(|w| name.contains(w))
}

/// Methods every object has: never a field read (`toString()`, `hashCode()`, `stream()`).
pub fn is_not_a_field(name: &str) -> bool {
    matches!(
        name,
        "toString"
            | "hashCode"
            | "equals"
            | "getClass"
            | "toBuilder"
            | "build"
            | "clone"
            | "isInitialized"
            | "stream"
            | "iterator"
            | "size"
            | "length"
            | "isEmpty"
            | "isPresent"
            | "get"
            | "orElse"
            | "orElseThrow"
            | "intValue"
            | "longValue"
            | "doubleValue"
            | "name"
            | "ordinal"
            | "values"
            | "keySet"
            | "entrySet"
            | "toList"
            | "count"
            | "close"
            | "block"
            | "subscribe"
            | "join"
    )
}

/// Web framework types of handler parameters that carry no payload shape themselves
/// (express `Request`/`Response`, fastify `FastifyReply`, FastAPI `BackgroundTasks`).
pub fn is_framework_type(name: &str) -> bool {
    matches!(
        name,
        "Request"
            | "Response"
            | "NextFunction"
            | "NextRequest"
            | "NextResponse"
            | "NextApiRequest"
            | "NextApiResponse"
            | "FastifyRequest"
            | "FastifyReply"
            | "RequestHandler"
            | "ExpressRequest"
            | "ExpressResponse"
            | "IncomingMessage"
            | "ServerResponse"
            | "BackgroundTasks"
            | "WebSocket"
            | "HttpRequest"
            | "HttpResponse"
            | "ServerUnaryCall"
            | "ServerWritableStream"
            | "ServerReadableStream"
            | "ServerDuplexStream"
            | "sendUnaryData"
            | "ServicerContext"
    )
}

/// Parameter decorators that bind a served request's body (NestJS `@Body()`, routing-controllers).
pub fn is_body_decorator(name: &str) -> bool {
    matches!(name, "Body" | "Payload")
}

/// Builtin classes of JavaScript whose `new` builds no payload (`new Promise(..)`, `new Map()`).
pub fn is_builtin_class(name: &str) -> bool {
    matches!(
        name,
        "Promise"
            | "Map"
            | "Set"
            | "WeakMap"
            | "WeakSet"
            | "Date"
            | "Error"
            | "TypeError"
            | "RangeError"
            | "URL"
            | "URLSearchParams"
            | "Array"
            | "Object"
            | "RegExp"
            | "Buffer"
            | "TextDecoder"
            | "TextEncoder"
            | "Headers"
            | "FormData"
            | "AbortController"
            | "Uint8Array"
            | "ArrayBuffer"
            | "Function"
            | "Proxy"
            | "EventEmitter"
            | "Logger"
    )
}

/// Default values of Python handler parameters that inject something other than the body
/// (FastAPI `Depends(..)`, `Query(..)`, `Header(..)`).
pub fn is_injected_default(callee: &str) -> bool {
    matches!(callee, "Depends" | "Query" | "Path" | "Header" | "Cookie" | "Security" | "File" | "Form" | "Inject")
}

/// A call that loads `.proto` files at run time (`protoLoader.loadSync(path, opts)`,
/// `protoLoader.load(path, opts)`), whose options say how message fields are named.
pub fn is_proto_loader(recv: &str, method: &str) -> bool {
    matches!(method, "loadSync" | "load") && recv.to_ascii_lowercase().contains("loader")
}

/// A promise's continuation (`p.then(v => ..)`): the callback receives the value.
pub fn is_promise_then(name: &str) -> bool {
    matches!(name, "then")
}

/// Methods reading a key of a dict, map or JSON node by name (`data.get("id")`, `node.get("id")`).
pub fn is_key_get(name: &str) -> bool {
    matches!(
        name,
        "get" | "getattr" | "pop" | "setdefault" | "path" | "getString" | "getInt" | "getLong" | "getBoolean"
    )
}

/// Names a served HTTP request goes by inside a handler without being a parameter (Flask's `request`).
pub fn request_global(lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::Python => Some("request"),
        _ => None,
    }
}

/// Untyped handler parameters that are the served request (express `(req, res)`).
pub fn is_request_param(name: &str) -> bool {
    matches!(name, "req" | "request")
}

/// Callback parameters that receive a message's payload rather than its envelope
/// (pika `on_message(ch, method, properties, body)`).
pub fn is_payload_param(name: &str) -> bool {
    matches!(name.trim_start_matches('_'), "body" | "payload" | "data" | "content")
}

/// Keyword arguments of an HTTP client call that carry the request body (`requests.post(url, json=x)`).
pub fn is_request_body_key(name: &str) -> bool {
    matches!(name, "json" | "data" | "body" | "content")
}

/// HTTP client methods whose second argument is the body (`axios.post(url, body)`, `http.put(url, body)`).
pub fn sends_body(method: &str) -> bool {
    matches!(method, "post" | "put" | "patch")
}

/// Methods that add to a repeated field of a message in place (`resp.product_ids.extend(ids)`,
/// `msg.items.append(x)`, `m.MergeFrom(o)`); JavaScript's `push` on a parsed array is a read.
pub fn is_repeated_writer(name: &str) -> bool {
    matches!(name, "extend" | "append" | "add" | "insert" | "MergeFrom" | "CopyFrom")
}

/// Methods adding an element to a list (`xs.push(x)`, `xs.append(x)`, `list.add(x)`).
pub fn is_list_append(name: &str) -> bool {
    matches!(name, "push" | "append" | "add" | "unshift" | "Add")
}

/// Languages whose parameters are mostly untyped, so that what a function of another file
/// reads from them is learned from its callers (JavaScript, TypeScript, Python).
pub fn infers_params(lang: Lang) -> bool {
    matches!(lang, Lang::JavaScript | Lang::TypeScript | Lang::Tsx | Lang::Python)
}
