package profile

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

type PostgresRepository struct {
	pool *pgxpool.Pool
}

func NewPostgresRepository(pool *pgxpool.Pool) *PostgresRepository {
	return &PostgresRepository{pool: pool}
}

func (r *PostgresRepository) Profile(ctx context.Context, id string) (Profile, error) {
	var p Profile
	err := r.pool.QueryRow(ctx,
		`SELECT id, email, display_name, coalesce(avatar_url, ''), locale, created_at FROM profiles WHERE id = $1`, id,
	).Scan(&p.ID, &p.Email, &p.DisplayName, &p.AvatarURL, &p.Locale, &p.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Profile{}, ErrNotFound
	}
	return p, err
}

func (r *PostgresRepository) Preferences(ctx context.Context, id string) (Preferences, error) {
	prefs := Preferences{UserID: id}
	err := r.pool.QueryRow(ctx,
		`SELECT newsletter, theme, categories FROM preferences WHERE user_id = $1`, id,
	).Scan(&prefs.Newsletter, &prefs.Theme, &prefs.Categories)
	if errors.Is(err, pgx.ErrNoRows) {
		return Preferences{UserID: id, Theme: "system", Categories: []string{}}, nil
	}
	return prefs, err
}
