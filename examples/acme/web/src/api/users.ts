// Read-only HTTP view of the users service (acme/users, internal/server/http.go).
// The JSON is snake_case, exactly as the Go struct tags say.
export const USERS_URL = "http://users:8081";

export interface User {
  user_id: string;
  email: string;
  display_name: string;
  avatar_url?: string;
  created_at: string;
}

export async function getUser(id: string): Promise<User> {
  const res = await fetch(`${USERS_URL}/v1/users/${id}`);
  if (!res.ok) {
    throw new Error(`users: HTTP ${res.status}`);
  }
  return (await res.json()) as User;
}
