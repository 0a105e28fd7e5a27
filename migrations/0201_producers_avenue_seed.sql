-- Producers Avenue master data: the seed's 8 categories, 100+ skills
-- under them and 50+ genres with sub-genres (parent_genre_id), in real
-- music vocabulary; and the product's settings in system.configurations
-- (commission ladder, processor fees, escrow hold, payout minimum,
-- featured-product limits, auto-approval thresholds, report bans), which
-- the rules of 0203-0205 read at every call, so an admin changes them
-- without a deploy.

-- +goose Up

-- Lower-case, ASCII, hyphen-separated: 'Lo-Fi Hip-Hop' -> 'lo-fi-hip-hop'.
-- +goose StatementBegin
create function producers_avenue.slugify(value text) returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select pg_catalog.btrim(
    pg_catalog.regexp_replace(pg_catalog.lower(pg_catalog.translate(value, '&''', '  ')), '[^a-z0-9]+', '-', 'g'),
    '-')
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.slugify(text) from public;
grant execute on function producers_avenue.slugify(text) to anon, authenticated, service_role;
comment on function producers_avenue.slugify(text) is 'URL slug of a name: lower-case ASCII letters and digits joined by hyphens.';

insert into producers_avenue.categories (name, slug, description, icon, sort_order) values
  ('Musician', 'musician', 'Instrumentalists and session players.', 'guitar', 1),
  ('Producer/Engineer', 'producer-engineer', 'Beat makers, producers, mixing and mastering engineers.', 'sliders', 2),
  ('Vocalist', 'vocalist', 'Singers, rappers and topliners.', 'mic', 3),
  ('Visual Artist', 'visual-artist', 'Cover art, photography, video and motion design.', 'palette', 4),
  ('Educator', 'educator', 'Teachers, coaches and course creators.', 'graduation-cap', 5),
  ('Content Creator', 'content-creator', 'YouTubers, streamers, podcasters and reviewers.', 'video', 6),
  ('Industry Professional', 'industry-professional', 'Managers, A&R, publishing, legal, marketing.', 'briefcase', 7),
  ('Music Tools Creator', 'music-tools-creator', 'Sample packs, presets, plugins and instruments.', 'wrench', 8);

insert into producers_avenue.skills (category_id, name, slug)
select c.id, s.name, producers_avenue.slugify(s.name)
from (values
  ('musician', 'Electric Guitar'), ('musician', 'Acoustic Guitar'), ('musician', 'Bass Guitar'),
  ('musician', 'Upright Bass'), ('musician', 'Drums'), ('musician', 'Percussion'), ('musician', 'Piano'),
  ('musician', 'Keyboards'), ('musician', 'Synthesizer Performance'), ('musician', 'Violin'), ('musician', 'Cello'),
  ('musician', 'Saxophone'), ('musician', 'Trumpet'), ('musician', 'Trombone'), ('musician', 'Flute'),
  ('musician', 'Ukulele'), ('musician', 'Banjo'), ('musician', 'Mandolin'), ('musician', 'Harmonica'),
  ('musician', 'Turntablism'),
  ('producer-engineer', 'Beat Making'), ('producer-engineer', 'Music Production'), ('producer-engineer', 'Mixing'),
  ('producer-engineer', 'Mastering'), ('producer-engineer', 'Stem Mastering'), ('producer-engineer', 'Recording Engineering'),
  ('producer-engineer', 'Sound Design'), ('producer-engineer', 'Sampling'), ('producer-engineer', 'Drum Programming'),
  ('producer-engineer', 'Synth Programming'), ('producer-engineer', 'Arrangement'), ('producer-engineer', 'Vocal Editing'),
  ('producer-engineer', 'Vocal Tuning'), ('producer-engineer', 'Dolby Atmos Mixing'), ('producer-engineer', 'Live Sound Engineering'),
  ('producer-engineer', 'Audio Restoration'), ('producer-engineer', 'Foley'), ('producer-engineer', 'Film Scoring'),
  ('vocalist', 'Lead Vocals'), ('vocalist', 'Backing Vocals'), ('vocalist', 'Rap Vocals'), ('vocalist', 'Songwriting'),
  ('vocalist', 'Topline Writing'), ('vocalist', 'Vocal Harmony Arrangement'), ('vocalist', 'Ghostwriting'),
  ('vocalist', 'Beatboxing'), ('vocalist', 'Voice Acting'), ('vocalist', 'Choir Singing'), ('vocalist', 'Opera Singing'),
  ('vocalist', 'Spoken Word'), ('vocalist', 'Jingle Singing'),
  ('visual-artist', 'Cover Art Design'), ('visual-artist', 'Album Packaging'), ('visual-artist', 'Logo Design'),
  ('visual-artist', 'Music Video Direction'), ('visual-artist', 'Video Editing'), ('visual-artist', 'Motion Graphics'),
  ('visual-artist', 'Music Photography'), ('visual-artist', 'Illustration'), ('visual-artist', '3D Animation'),
  ('visual-artist', 'Lyric Videos'), ('visual-artist', 'Audio Visualizers'), ('visual-artist', 'Merchandise Design'),
  ('visual-artist', 'Color Grading'),
  ('educator', 'Music Theory'), ('educator', 'Ear Training'), ('educator', 'Production Courses'),
  ('educator', 'Mixing Tutorials'), ('educator', 'Instrument Lessons'), ('educator', 'Vocal Coaching'),
  ('educator', 'Songwriting Workshops'), ('educator', 'DAW Training'), ('educator', 'Music Business Coaching'),
  ('educator', 'Composition Teaching'), ('educator', 'Sight Reading'),
  ('content-creator', 'YouTube Videos'), ('content-creator', 'TikTok Content'), ('content-creator', 'Podcasting'),
  ('content-creator', 'Livestreaming'), ('content-creator', 'Social Media Management'), ('content-creator', 'Beat Reviews'),
  ('content-creator', 'Gear Reviews'), ('content-creator', 'Tutorial Videos'), ('content-creator', 'Music Blogging'),
  ('content-creator', 'Newsletter Writing'), ('content-creator', 'Reaction Videos'),
  ('industry-professional', 'Artist Management'), ('industry-professional', 'A&R'), ('industry-professional', 'Music Publishing'),
  ('industry-professional', 'Sync Licensing'), ('industry-professional', 'Music Law'), ('industry-professional', 'Booking Agent'),
  ('industry-professional', 'Tour Management'), ('industry-professional', 'Music Marketing'),
  ('industry-professional', 'Playlist Pitching'), ('industry-professional', 'Music PR'), ('industry-professional', 'Label Services'),
  ('industry-professional', 'Digital Distribution'), ('industry-professional', 'Royalty Administration'),
  ('industry-professional', 'Music Supervision'),
  ('music-tools-creator', 'Sample Pack Creation'), ('music-tools-creator', 'Drum Kit Design'),
  ('music-tools-creator', 'Preset Design'), ('music-tools-creator', 'VST Plugin Development'),
  ('music-tools-creator', 'Max for Live Devices'), ('music-tools-creator', 'MIDI Pack Creation'),
  ('music-tools-creator', 'Loop Creation'), ('music-tools-creator', 'Sound Library Curation'),
  ('music-tools-creator', 'Hardware Instrument Building'), ('music-tools-creator', 'Music App Development'),
  ('music-tools-creator', 'Impulse Response Design')
) as s(category, name)
join producers_avenue.categories c on c.slug = s.category;

insert into producers_avenue.genres (name, slug)
select g, producers_avenue.slugify(g) from unnest(array[
  'Hip-Hop', 'R&B', 'Pop', 'Electronic', 'Rock', 'Metal', 'Jazz', 'Soul', 'Funk', 'Blues', 'Gospel',
  'Country', 'Folk', 'Latin', 'Reggae', 'African', 'Classical', 'Soundtrack', 'Experimental'
]) as g;

insert into producers_avenue.genres (name, slug, parent_genre_id)
select s.name, producers_avenue.slugify(s.name), p.id
from (values
  ('hip-hop', 'Trap'), ('hip-hop', 'Boom Bap'), ('hip-hop', 'Drill'), ('hip-hop', 'UK Drill'), ('hip-hop', 'Lo-Fi Hip-Hop'),
  ('hip-hop', 'Cloud Rap'), ('hip-hop', 'Phonk'), ('hip-hop', 'Jazz Rap'), ('hip-hop', 'Grime'),
  ('r-b', 'Neo-Soul'), ('r-b', 'Contemporary R&B'), ('r-b', 'Alternative R&B'),
  ('pop', 'Synth-Pop'), ('pop', 'K-Pop'), ('pop', 'Indie Pop'), ('pop', 'Dance-Pop'), ('pop', 'Hyperpop'),
  ('electronic', 'House'), ('electronic', 'Deep House'), ('electronic', 'Tech House'), ('electronic', 'Techno'),
  ('electronic', 'Drum and Bass'), ('electronic', 'Dubstep'), ('electronic', 'Trance'), ('electronic', 'Future Bass'),
  ('electronic', 'Ambient'), ('electronic', 'UK Garage'), ('electronic', 'Synthwave'), ('electronic', 'EDM'),
  ('rock', 'Alternative Rock'), ('rock', 'Indie Rock'), ('rock', 'Punk Rock'), ('rock', 'Hard Rock'), ('rock', 'Progressive Rock'),
  ('metal', 'Heavy Metal'), ('metal', 'Metalcore'), ('metal', 'Death Metal'),
  ('jazz', 'Bebop'), ('jazz', 'Smooth Jazz'), ('jazz', 'Jazz Fusion'),
  ('soul', 'Motown'), ('funk', 'G-Funk'), ('blues', 'Delta Blues'), ('gospel', 'Contemporary Gospel'),
  ('country', 'Americana'), ('country', 'Country Pop'), ('folk', 'Indie Folk'),
  ('latin', 'Reggaeton'), ('latin', 'Latin Trap'), ('latin', 'Salsa'), ('latin', 'Bachata'), ('latin', 'Dembow'),
  ('reggae', 'Dancehall'), ('reggae', 'Dub'),
  ('african', 'Afrobeats'), ('african', 'Amapiano'), ('african', 'Afro House'),
  ('classical', 'Orchestral'), ('classical', 'Chamber Music'), ('soundtrack', 'Film Score'), ('soundtrack', 'Video Game Music'),
  ('experimental', 'Noise'), ('experimental', 'Glitch')
) as s(parent, name)
join producers_avenue.genres p on p.slug = s.parent;

insert into system.configurations (category, key, value, value_type, description, is_hot_reloadable) values
  ('producers_avenue', 'commission_rates',
   '{"version": 1, "rates": {"basic": 40, "standard": 30, "premium": 20, "ultimate": 10}}', 'json',
   'Platform commission in percent of the sale by the seller''s tier at sale time; partner accounts pay the ultimate rate. Bump version on every change: each sale stores it.', true),
  ('producers_avenue', 'processor_fees',
   '{"version": 1, "stripe": {"percent_bp": 290, "fixed_cents": 30}, "paypal": {"percent_bp": 349, "fixed_cents": 49}, "wallet": {"percent_bp": 0, "fixed_cents": 0}}', 'json',
   'Processor fee per sale, paid by the seller: basis points of the total plus fixed cents.', true),
  ('producers_avenue', 'escrow_hold', '"168h"', 'duration', 'How long a seller''s share stays pending before release.', true),
  ('producers_avenue', 'min_payout_cents', '5000', 'integer', 'Smallest payout a seller may request, in cents.', true),
  ('producers_avenue', 'featured_limits',
   '{"basic": 0, "standard": 1, "premium": 3, "ultimate": 10, "partner": 10}', 'json',
   'Featured products per seller by tier (partner = Ultimate for Friends).', true),
  ('producers_avenue', 'custom_field_thresholds', '{"skill": 3, "genre": 5}', 'json',
   'Distinct requesters that auto-approve a custom skill or genre; categories are always reviewed.', true),
  ('producers_avenue', 'report_bans', '{"temporary_after": 3, "temporary_days": 30, "permanent_after": 5}', 'json',
   'False reports that earn a temporary or permanent report ban.', true);

-- +goose Down
delete from system.configurations where category = 'producers_avenue';
delete from producers_avenue.skills;
delete from producers_avenue.genres where parent_genre_id is not null;
delete from producers_avenue.genres;
delete from producers_avenue.categories;
drop function if exists producers_avenue.slugify(text);
