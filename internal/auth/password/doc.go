// Package password hashes, verifies and checks the strength of user
// passwords for the /auth/v1 (Supabase GoTrue dialect) API.
//
// New hashes are argon2id in the PHC string format written by the reference
// argon2 implementation:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// where salt and hash are standard base64 without padding. Verify also
// accepts the bcrypt hashes ($2a$, $2b$, $2y$) that GoTrue stores, so users
// imported from GoTrue keep signing in; NeedsRehash reports them so the
// caller can upgrade the stored hash after a successful sign-in:
//
//	ok, err := password.Verify(plain, stored)
//	if err != nil || !ok {
//		// invalid credentials; log err (it never contains the password)
//	}
//	if password.NeedsRehash(stored, params) {
//		upgraded, err := password.Hash(params, plain)
//		// store upgraded
//	}
//
// Passwords are hashed as the exact bytes given. Nothing is Unicode
// normalised (GoTrue does not normalise either, so normalising here would
// break imported hashes); "é" typed as U+00E9 and as "e"+U+0301 are different
// passwords.
//
// Stored hashes are treated as untrusted input: parsing is strict (one
// canonical spelling per hash) and any hash whose cost exceeds the package's
// caps (MaxMemory, MaxIterations, MaxParallelism, MaxWork, MaxBcryptCost) is
// refused with ErrMalformed before any work is done, so a planted hash cannot
// make a sign-in allocate gigabytes or run for hours.
package password
