import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '@gatehouse/errors';
import { builtInProfiles, compileProfile, type CompiledProfile, type MaskingProfile } from '@gatehouse/pii';
import { parse } from 'yaml';

/** Where the profiles come from. */
export interface ProfileSources {
  /** Text of MASKING_PROFILES_FILE, when set. */
  readonly profilesYaml?: string;
  /** MASKING_HASH_KEY, when set. */
  readonly hashKey?: string;
}

/**
 * The masking profiles policies name, compiled once at boot: the built-in `default` and `strict`,
 * plus (or replaced by) the profiles of MASKING_PROFILES_FILE. A profile without its own
 * `hashKey` uses MASKING_HASH_KEY, or a random key drawn per process when that is unset.
 */
export class ProfileCatalog {
  private constructor(
    private readonly profiles: ReadonlyMap<string, CompiledProfile>,
    /** True when the hash key was drawn at random for this process. */
    readonly ephemeralHashKey: boolean,
  ) {}

  /** Compiles every profile; an invalid one throws ConfigError naming the profile and field. */
  static load(sources: ProfileSources): ProfileCatalog {
    const ephemeral = sources.hashKey === undefined;
    const hashKey = sources.hashKey ?? randomBytes(32).toString('base64url');
    if (hashKey.length < 16) {
      throw new ConfigError('MASKING_HASH_KEY must be at least 16 characters', 'MASKING_HASH_KEY');
    }
    const plain = new Map<string, MaskingProfile>(Object.entries(builtInProfiles));
    if (sources.profilesYaml !== undefined) {
      for (const [name, profile] of Object.entries(readProfilesDocument(sources.profilesYaml)))
        plain.set(name, profile);
    }
    const compiled = new Map<string, CompiledProfile>();
    for (const [name, profile] of plain) {
      try {
        compiled.set(name, compileProfile({ ...profile, name, hashKey: profile.hashKey ?? hashKey }));
      } catch (cause) {
        const message = cause instanceof Error ? cause.message : String(cause);
        throw new ConfigError(`MASKING_PROFILES_FILE: ${message}`, 'MASKING_PROFILES_FILE', { cause });
      }
    }
    return new ProfileCatalog(compiled, ephemeral);
  }

  /** Reads MASKING_PROFILES_FILE (when given) and compiles. */
  static fromFile(path: string | undefined, hashKey: string | undefined): ProfileCatalog {
    let profilesYaml: string | undefined;
    if (path !== undefined) {
      try {
        profilesYaml = readFileSync(path, 'utf8');
      } catch (cause) {
        throw new ConfigError(`MASKING_PROFILES_FILE: cannot read ${path}`, 'MASKING_PROFILES_FILE', {
          cause,
        });
      }
    }
    return ProfileCatalog.load({
      ...(profilesYaml === undefined ? {} : { profilesYaml }),
      ...(hashKey === undefined ? {} : { hashKey }),
    });
  }

  /** The compiled profile, or undefined when no profile has that name. */
  get(name: string): CompiledProfile | undefined {
    return this.profiles.get(name);
  }

  /** Every profile name. */
  names(): string[] {
    return [...this.profiles.keys()].sort();
  }
}

function readProfilesDocument(text: string): Record<string, MaskingProfile> {
  let document: unknown;
  try {
    document = parse(text) ?? {};
  } catch (cause) {
    throw new ConfigError('MASKING_PROFILES_FILE: not valid YAML', 'MASKING_PROFILES_FILE', { cause });
  }
  const profiles = (document as { profiles?: unknown }).profiles;
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) {
    throw new ConfigError(
      'MASKING_PROFILES_FILE: expected `profiles:` as a map of profile name to profile',
      'MASKING_PROFILES_FILE',
    );
  }
  const out: Record<string, MaskingProfile> = {};
  for (const [name, profile] of Object.entries(profiles as Record<string, unknown>)) {
    if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) {
      throw new ConfigError(`MASKING_PROFILES_FILE: profile ${name} must be a map`, 'MASKING_PROFILES_FILE');
    }
    const fields = profile as Partial<MaskingProfile>;
    out[name] = { ...fields, entities: fields.entities ?? {}, name };
  }
  return out;
}
