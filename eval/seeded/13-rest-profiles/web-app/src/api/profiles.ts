const PROFILES_URL = process.env.PROFILES_URL ?? "http://profiles:8080";

export interface Profile {
  id: string;
  avatar_url?: string;
  email: string;
  display_name: string;
  locale: string;
  createdAt: string;
}

export async function fetchProfile(userId: string, signal?: AbortSignal): Promise<Profile> {
  const res = await fetch(`${PROFILES_URL}/v1/profiles/${encodeURIComponent(userId)}`, {
    headers: { accept: "application/json" },
    signal,
  });
  if (!res.ok) {
    throw new Error(`profiles: ${res.status} ${res.statusText}`);
  }
  return (await res.json()) as Profile;
}
