const RECOMMENDER_URL = process.env.RECOMMENDER_URL ?? "http://recommender:8000";

export interface Recommendation {
  product_id: string;
  score: number;
  reason: string;
}

export interface RecommendationList {
  user_id: string;
  items: Recommendation[];
  generated_at: string;
  model_version: string;
}

export async function fetchRecommendations(userId: string): Promise<RecommendationList> {
  const res = await fetch(`${RECOMMENDER_URL}/v1/recommendations/${encodeURIComponent(userId)}`);
  if (!res.ok) {
    throw new Error(`recommender: ${res.status}`);
  }
  return res.json() as Promise<RecommendationList>;
}
