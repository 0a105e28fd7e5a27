package auth_test

import "github.com/creatorbase/creatorbase/internal/auth/password"

func passwordHash(plain string) (string, error) { return password.Hash(testParams, plain) }
