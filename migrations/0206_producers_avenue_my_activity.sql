-- Producers Avenue in the cross-product timeline: producers_avenue.my_activity
-- (what the signed-in user did in the marketplace) and one more `union all`
-- branch of public.my_activity.
--
-- Kinds (entity_id is always the id of the row in the table named):
--   post_published        posts: a post the user wrote (hidden ones too:
--                         the author still sees them);
--   comment_written       comments: a comment or reply the user wrote;
--   group_created         groups: a group the user founded;
--   group_joined          group_members: an active membership in a group
--                         the user does not own, at joined_at (the owner's
--                         membership is part of group_created; pending
--                         requests are not joined yet);
--   group_post_published  group_posts: a post the user wrote in a group;
--   product_listed        products: a product the user put up for sale;
--   service_listed        services: a service the user offers;
--   webinar_scheduled     webinars: a webinar the user hosts;
--   webinar_registered    webinar_registrations: the user's seat (free, or
--                         paid through record_purchase);
--   order_placed          orders: a service order the user placed as buyer;
--   order_delivered       orders: an order the user delivered as seller, at
--                         its latest delivery;
--   product_purchased     transactions: a product the user bought;
--   review_written        reviews: a review the user wrote;
--   user_followed         followers: someone the user follows;
--   payout_requested      payouts: a withdrawal the user asked for.
-- Amounts are integer cents. Listings whose status is 'deleted' (the soft
-- delete of products and services) leave the timeline.
--
-- Only the user's own doing is a row: an order someone placed with the
-- user, a sale of the user's product, a new follower, a review or a comment
-- received are the other person's happening, and appear in their timeline.
-- Likes, messages, reports and custom field requests are not timeline
-- material (too many, private, or with no time per requester).
--
-- public.my_activity is extended from its current definition
-- (public.my_activity_add_branch, 0023), so that the branches of other
-- products survive in whatever order their migrations run; Down removes
-- only this branch.

-- +goose Up
create view producers_avenue.my_activity with (security_invoker = true) as
select 'producers_avenue'::text as product, 'post_published'::text as kind, p.id::text as entity_id,
       p.created_at as occurred_at,
       jsonb_build_object('post_type', p.post_type) as details
from producers_avenue.posts p
where p.user_id = (select auth.uid())
union all
select 'producers_avenue', 'comment_written', c.id::text, c.created_at,
       jsonb_build_object('post_id', c.post_id, 'parent_comment_id', c.parent_comment_id)
from producers_avenue.comments c
where c.user_id = (select auth.uid())
union all
select 'producers_avenue', 'group_created', g.id::text, g.created_at,
       jsonb_build_object('name', g.name, 'slug', g.slug, 'visibility', g.visibility)
from producers_avenue.groups g
where g.owner_id = (select auth.uid())
union all
select 'producers_avenue', 'group_joined', m.id::text, m.joined_at,
       jsonb_build_object('group_id', m.group_id, 'role', m.role)
from producers_avenue.group_members m
where m.user_id = (select auth.uid()) and m.status = 'active' and m.role <> 'owner'
union all
select 'producers_avenue', 'group_post_published', gp.id::text, gp.created_at,
       jsonb_build_object('group_id', gp.group_id, 'post_type', gp.post_type, 'is_approved', gp.is_approved)
from producers_avenue.group_posts gp
where gp.user_id = (select auth.uid())
union all
select 'producers_avenue', 'product_listed', pr.id::text, pr.created_at,
       jsonb_build_object('title', pr.title, 'slug', pr.slug, 'price_cents', pr.price_cents, 'status', pr.status)
from producers_avenue.products pr
where pr.seller_id = (select auth.uid()) and pr.status <> 'deleted'
union all
select 'producers_avenue', 'service_listed', s.id::text, s.created_at,
       jsonb_build_object('title', s.title, 'slug', s.slug, 'service_type', s.service_type, 'status', s.status)
from producers_avenue.services s
where s.seller_id = (select auth.uid()) and s.status <> 'deleted'
union all
select 'producers_avenue', 'webinar_scheduled', w.id::text, w.created_at,
       jsonb_build_object('title', w.title, 'slug', w.slug, 'price_cents', w.price_cents, 'status', w.status)
from producers_avenue.webinars w
where w.host_id = (select auth.uid())
union all
select 'producers_avenue', 'webinar_registered', r.id::text, r.created_at,
       jsonb_build_object('webinar_id', r.webinar_id, 'payment_status', r.payment_status)
from producers_avenue.webinar_registrations r
where r.user_id = (select auth.uid())
union all
select 'producers_avenue', 'order_placed', o.id::text, o.created_at,
       jsonb_build_object('service_id', o.service_id, 'package_name', o.package_name,
                          'price_cents', o.package_price_cents, 'status', o.status)
from producers_avenue.orders o
where o.buyer_id = (select auth.uid())
union all
select 'producers_avenue', 'order_delivered', o.id::text, o.delivered_at,
       jsonb_build_object('service_id', o.service_id, 'package_name', o.package_name, 'status', o.status)
from producers_avenue.orders o
where o.seller_id = (select auth.uid()) and o.delivered_at is not null
union all
select 'producers_avenue', 'product_purchased', t.id::text, t.created_at,
       jsonb_build_object('product_id', t.related_id, 'amount_cents', t.amount_total, 'status', t.status)
from producers_avenue.transactions t
where t.buyer_id = (select auth.uid()) and t.transaction_type = 'product_purchase'
union all
select 'producers_avenue', 'review_written', rv.id::text, rv.created_at,
       jsonb_build_object('reviewable_type', rv.reviewable_type, 'reviewable_id', rv.reviewable_id, 'rating', rv.rating)
from producers_avenue.reviews rv
where rv.reviewer_id = (select auth.uid())
union all
select 'producers_avenue', 'user_followed', f.id::text, f.created_at,
       jsonb_build_object('following_id', f.following_id)
from producers_avenue.followers f
where f.follower_id = (select auth.uid())
union all
select 'producers_avenue', 'payout_requested', po.id::text, po.requested_at,
       jsonb_build_object('amount_cents', po.amount, 'method', po.payout_method, 'status', po.status)
from producers_avenue.payouts po
where po.user_id = (select auth.uid());
comment on view producers_avenue.my_activity is 'The signed-in user''s Producers Avenue activity (posts, groups, listings, orders, purchases, reviews, follows, payouts); also a branch of public.my_activity.';
revoke all on producers_avenue.my_activity from public, anon, authenticated;
grant select on producers_avenue.my_activity to authenticated, service_role;

select public.my_activity_add_branch('producers_avenue.my_activity', 'pa_activity');

-- +goose Down
select public.my_activity_remove_branch('producers_avenue.my_activity', 'pa_activity');
drop view if exists producers_avenue.my_activity;
