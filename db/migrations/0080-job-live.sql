-- What a running job is doing now, folded from its events as they stream in
-- (preparing data, the plan with its total steps, the current stage, the
-- last checkpoint), so a page opened mid-run shows it without re-reading
-- the events file. JSON; NULL until the first event.
ALTER TABLE jobs ADD COLUMN live TEXT;
