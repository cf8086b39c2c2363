use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

use tokio::sync::{broadcast, RwLock};
use tokio_stream::wrappers::ReceiverStream;
use tonic::{transport::Server, Request, Response, Status};

pub mod pb {
    tonic::include_proto!("routing.v1");
}

use pb::route_optimizer_server::{RouteOptimizer, RouteOptimizerServer};
use pb::{GetRouteRequest, PlanRouteRequest, PlanRouteResponse, Route, RouteEvent, Stop};

const AVG_SPEED_MPS: f64 = 9.0;

#[derive(Default)]
struct Optimizer {
    routes: Arc<RwLock<HashMap<String, Route>>>,
    events: Option<broadcast::Sender<RouteEvent>>,
}

fn distance_m(a: &Stop, b: &Stop) -> f64 {
    let (dx, dy) = ((b.lon - a.lon) * 71_500.0, (b.lat - a.lat) * 111_320.0);
    (dx * dx + dy * dy).sqrt()
}

#[tonic::async_trait]
impl RouteOptimizer for Optimizer {
    async fn plan_route(&self, request: Request<PlanRouteRequest>) -> Result<Response<PlanRouteResponse>, Status> {
        let req = request.into_inner();
        if req.stops.is_empty() {
            return Err(Status::invalid_argument("at least one stop is required"));
        }
        // Nearest-neighbour ordering; good enough for the sizes a van carries.
        let mut remaining = req.stops;
        let mut ordered: Vec<Stop> = vec![remaining.remove(0)];
        while !remaining.is_empty() {
            let last = ordered.last().unwrap();
            let (idx, _) = remaining
                .iter()
                .enumerate()
                .map(|(i, s)| (i, distance_m(last, s)))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap();
            ordered.push(remaining.remove(idx));
        }
        let total: f64 = ordered.windows(2).map(|w| distance_m(&w[0], &w[1])).sum();
        for (i, stop) in ordered.iter_mut().enumerate() {
            stop.sequence = i as u32 + 1;
        }
        let route = Route {
            route_id: uuid::Uuid::new_v4().to_string(),
            vehicle_id: req.vehicle_id,
            stops: ordered,
            total_distance_meters: total as u32,
            total_duration_seconds: (total / AVG_SPEED_MPS) as u32,
            created_at: Some(prost_types::Timestamp::from(SystemTime::now())),
        };
        self.routes.write().await.insert(route.route_id.clone(), route.clone());
        Ok(Response::new(PlanRouteResponse { route: Some(route), unassigned_parcel_ids: vec![] }))
    }

    async fn get_route(&self, request: Request<GetRouteRequest>) -> Result<Response<Route>, Status> {
        let id = request.into_inner().route_id;
        self.routes
            .read()
            .await
            .get(&id)
            .cloned()
            .map(Response::new)
            .ok_or_else(|| Status::not_found(format!("route {id}")))
    }

    type WatchRouteStream = ReceiverStream<Result<RouteEvent, Status>>;

    async fn watch_route(&self, request: Request<GetRouteRequest>) -> Result<Response<Self::WatchRouteStream>, Status> {
        let route_id = request.into_inner().route_id;
        let mut events = self
            .events
            .as_ref()
            .ok_or_else(|| Status::unavailable("event feed not connected"))?
            .subscribe();
        let (tx, rx) = tokio::sync::mpsc::channel(32);
        tokio::spawn(async move {
            while let Ok(evt) = events.recv().await {
                if evt.route_id == route_id && tx.send(Ok(evt)).await.is_err() {
                    break;
                }
            }
        });
        Ok(Response::new(ReceiverStream::new(rx)))
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = std::env::var("LISTEN_ADDR").unwrap_or_else(|_| "0.0.0.0:50051".into()).parse()?;
    let (tx, _) = broadcast::channel(1024);
    let optimizer = Optimizer { events: Some(tx), ..Default::default() };
    Server::builder()
        .add_service(RouteOptimizerServer::new(optimizer))
        .serve(addr)
        .await?;
    Ok(())
}
