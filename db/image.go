package db

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"gatehouse/app"
)

var _ app.ImageStore = (*DB)(nil)

// PutImage checks data with app.NewImage (EInvalid or ETooLarge, and
// nothing is written) and stores it as the instance's image of type typ,
// replacing the earlier one; the instance's updated_at moves too. It
// returns the stored image without its bytes, or ENotFound for an unknown
// instance.
func (db *DB) PutImage(ctx context.Context, instanceID, typ string, data []byte) (app.Image, error) {
	img, err := app.NewImage(typ, data)
	if err != nil {
		return app.Image{}, err
	}
	err = db.write(ctx, "put image", func(tx *sql.Tx, now time.Time) error {
		cid, ok := canonicalID(instanceID)
		if !ok {
			return app.NotFound("instance", instanceID)
		}
		res, err := tx.ExecContext(ctx, `UPDATE instances SET updated_at = ? WHERE id = ?`, micros(now), cid)
		if err != nil {
			return err
		}
		if err := mustAffect(res, "instance", instanceID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO instance_images
			(instance_id, type, content_type, width, height, size, sha256, data, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (instance_id, type) DO UPDATE SET content_type = excluded.content_type,
				width = excluded.width, height = excluded.height, size = excluded.size,
				sha256 = excluded.sha256, data = excluded.data, updated_at = excluded.updated_at`,
			cid, img.Type, img.ContentType, img.Width, img.Height, img.Size, img.SHA256, img.Data, micros(now))
		img.InstanceID, img.UpdatedAt = cid, now
		return err
	})
	if err != nil {
		return app.Image{}, err
	}
	img.Data = nil
	return img, nil
}

// Image returns the instance's image of type typ with its bytes. It
// returns ENotFound when the instance has no such image (or does not
// exist).
func (db *DB) Image(ctx context.Context, instanceID, typ string) (app.Image, error) {
	var img app.Image
	err := db.read(ctx, "get image", func(tx *sql.Tx) error {
		cid, ok := canonicalID(instanceID)
		if !ok || app.CheckImageType(typ) != nil {
			return imageNotFound(instanceID, typ)
		}
		var updated int64
		err := tx.QueryRowContext(ctx, `SELECT content_type, width, height, size, sha256, data, updated_at
			FROM instance_images WHERE instance_id = ? AND type = ?`, cid, typ).
			Scan(&img.ContentType, &img.Width, &img.Height, &img.Size, &img.SHA256, &img.Data, &updated)
		if errors.Is(err, sql.ErrNoRows) {
			return imageNotFound(instanceID, typ)
		}
		if err != nil {
			return err
		}
		img.InstanceID, img.Type, img.UpdatedAt = cid, typ, fromMicros(updated)
		return nil
	})
	if err != nil {
		return app.Image{}, err
	}
	return img, nil
}

func imageNotFound(instanceID, typ string) error {
	return &app.Error{Code: app.ENotFound, Reason: app.ReasonResourceMissing,
		Message: "instance " + instanceID + " has no " + typ + " image"}
}

// loadImageVersions sets LogoVersion and IconVersion of the instances in
// list from their stored images: of the one instance when list holds one,
// of all otherwise. It reads the digests only, never the bytes.
func loadImageVersions(ctx context.Context, tx *sql.Tx, list []app.Instance) error {
	if len(list) == 0 {
		return nil
	}
	query := `SELECT instance_id, type, sha256 FROM instance_images`
	var args []any
	if len(list) == 1 {
		query += ` WHERE instance_id = ?`
		args = append(args, list[0].ID)
	}
	index := make(map[string]int, len(list))
	for i, in := range list {
		index[in.ID] = i
	}
	return queryEach(ctx, tx, query, func(sc scanner) error {
		var id, typ, sha string
		if err := sc.Scan(&id, &typ, &sha); err != nil {
			return err
		}
		i, ok := index[id]
		if !ok {
			return nil
		}
		switch typ {
		case app.ImageLogo:
			list[i].LogoVersion = app.ImageVersion(sha)
		case app.ImageIcon:
			list[i].IconVersion = app.ImageVersion(sha)
		}
		return nil
	}, args...)
}
