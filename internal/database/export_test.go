package database

import "context"

// DownVersion rolls back one applied migration, whatever its place.
func (m *Migrator) DownVersion(ctx context.Context, version int64) error {
	_, err := m.provider.ApplyVersion(ctx, version, false)
	return err
}
