-- Webhook URLs with a user name and password (https://user:pass@…) were accepted before they were
-- refused, and their sends failed with an error quoting the whole URL. Masks what such rows kept:
-- the password in the destination's hint, and the URL's secret path and credentials in errors and
-- attempt records. Only rows that show credentials in a URL are touched.
UPDATE destinations
   SET webhook_url_hint = regexp_replace(webhook_url_hint, '^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@', '\1', 'g')
 WHERE webhook_url_hint ~ '^[A-Za-z][A-Za-z0-9+.-]*://[^/@]*@';

UPDATE deliveries
   SET last_error = regexp_replace(
         regexp_replace(last_error, '(https?://)[^[:space:]/@"]+@', '\1…@', 'g'),
         '/services/T[A-Za-z0-9_-]*/B[A-Za-z0-9_-]*/[A-Za-z0-9_-]+', '/services/T…/B…/…', 'g')
 WHERE last_error ~ 'https?://[^[:space:]/@"]+@';

UPDATE delivery_attempts
   SET error = regexp_replace(
         regexp_replace(error, '(https?://)[^[:space:]/@"]+@', '\1…@', 'g'),
         '/services/T[A-Za-z0-9_-]*/B[A-Za-z0-9_-]*/[A-Za-z0-9_-]+', '/services/T…/B…/…', 'g')
 WHERE error ~ 'https?://[^[:space:]/@"]+@';

UPDATE delivery_attempts
   SET response = regexp_replace(
         regexp_replace(response::text, '(https?://)[^[:space:]/@"]+@', '\1…@', 'g'),
         '/services/T[A-Za-z0-9_-]*/B[A-Za-z0-9_-]*/[A-Za-z0-9_-]+', '/services/T…/B…/…', 'g')::jsonb
 WHERE response::text ~ 'https?://[^[:space:]/@"]+@';

UPDATE delivery_attempts
   SET request = regexp_replace(
         regexp_replace(request::text, '(https?://)[^[:space:]/@"]+@', '\1…@', 'g'),
         '/services/T[A-Za-z0-9_-]*/B[A-Za-z0-9_-]*/[A-Za-z0-9_-]+', '/services/T…/B…/…', 'g')::jsonb
 WHERE request::text ~ 'https?://[^[:space:]/@"]+@';
