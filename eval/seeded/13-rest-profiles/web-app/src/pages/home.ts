import { fetchProfile, type Profile } from "../api/profiles.js";
import { fetchRecommendations } from "../api/recommendations.js";

const DEFAULT_AVATAR = "/static/avatar-placeholder.svg";

export interface HomeModel {
  greeting: string;
  avatar: string;
  memberSince: string;
  picks: { productId: string; why: string }[];
  modelTag: string;
}

function memberSince(profile: Profile): string {
  return new Date(profile.createdAt).toLocaleDateString(profile.locale, { month: "long", year: "numeric" });
}

export async function buildHome(userId: string): Promise<HomeModel> {
  const [profile, recs] = await Promise.all([fetchProfile(userId), fetchRecommendations(userId)]);
  return {
    greeting: `Welcome back, ${profile.display_name}`,
    avatar: profile.avatar_url ?? DEFAULT_AVATAR,
    memberSince: memberSince(profile),
    picks: recs.items.map((r) => ({ productId: r.product_id, why: r.reason })),
    modelTag: recs.model_version.split("+")[0],
  };
}
