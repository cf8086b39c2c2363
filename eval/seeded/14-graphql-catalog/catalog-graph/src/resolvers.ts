import { pool, type ProductRow, type ReviewRow } from "./db.js";

const encodeCursor = (id: string) => Buffer.from(id).toString("base64url");
const decodeCursor = (c: string) => Buffer.from(c, "base64url").toString();

async function productWhere(column: "id" | "slug", value: string): Promise<ProductRow | null> {
  const { rows } = await pool.query<ProductRow>(`SELECT * FROM products WHERE ${column} = $1`, [value]);
  return rows[0] ?? null;
}

export const resolvers = {
  Query: {
    product: (_: unknown, { id }: { id: string }) => productWhere("id", id),
    productBySlug: (_: unknown, { slug }: { slug: string }) => productWhere("slug", slug),
    products: async (_: unknown, args: { first: number; after?: string; categorySlug?: string }) => {
      const { rows } = await pool.query<ProductRow>(
        `SELECT * FROM products
          WHERE ($1::text IS NULL OR id > $1) AND ($2::text IS NULL OR category_slug = $2)
          ORDER BY id LIMIT $3`,
        [args.after ? decodeCursor(args.after) : null, args.categorySlug ?? null, args.first + 1],
      );
      const page = rows.slice(0, args.first);
      return {
        edges: page.map((node) => ({ cursor: encodeCursor(node.id), node })),
        pageInfo: {
          hasNextPage: rows.length > args.first,
          endCursor: page.length ? encodeCursor(page[page.length - 1].id) : null,
        },
      };
    },
    category: async (_: unknown, { slug }: { slug: string }) => {
      const { rows } = await pool.query("SELECT slug, name, parent_slug FROM categories WHERE slug = $1", [slug]);
      return rows[0] ?? null;
    },
  },

  Mutation: {
    addReview: async (_: unknown, { input }: { input: { productId: string; rating: number; title?: string; body?: string; authorName: string } }) => {
      const { rows } = await pool.query<ReviewRow>(
        `INSERT INTO reviews (product_id, rating, title, body, author_name) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [input.productId, input.rating, input.title ?? null, input.body ?? null, input.authorName],
      );
      return rows[0];
    },
  },

  Product: {
    priceCents: (p: ProductRow) => p.price_cents,
    inStock: (p: ProductRow) => p.stock_on_hand > 0,
    images: async (p: ProductRow) =>
      (await pool.query("SELECT url, alt, width, height FROM product_images WHERE product_id = $1 ORDER BY position", [p.id])).rows,
    category: (p: ProductRow) =>
      p.category_slug ? pool.query("SELECT slug, name FROM categories WHERE slug = $1", [p.category_slug]).then((r) => r.rows[0]) : null,
    averageRating: async (p: ProductRow) =>
      (await pool.query("SELECT avg(rating)::float AS avg FROM reviews WHERE product_id = $1", [p.id])).rows[0].avg,
    reviewCount: async (p: ProductRow) =>
      (await pool.query("SELECT count(*)::int AS n FROM reviews WHERE product_id = $1", [p.id])).rows[0].n,
    reviews: async (p: ProductRow, { first }: { first: number }) =>
      (await pool.query<ReviewRow>("SELECT * FROM reviews WHERE product_id = $1 ORDER BY created_at DESC LIMIT $2", [p.id, first])).rows,
  },

  Review: {
    authorName: (r: ReviewRow) => r.author_name,
    createdAt: (r: ReviewRow) => r.created_at.toISOString(),
  },

  Category: {
    parent: async (c: { parent_slug: string | null }) =>
      c.parent_slug ? (await pool.query("SELECT slug, name, parent_slug FROM categories WHERE slug = $1", [c.parent_slug])).rows[0] : null,
  },
};
