-- One artifact row per build: two builds (two pull requests, say) may produce byte-identical
-- slugs, and each must find its own row. The digest stays indexed for releases, which name it.

alter table artifact drop constraint artifact_pkey;
drop index artifact_build;
alter table artifact add primary key (build_id);
create index artifact_digest on artifact (digest);
