package dev.switchboard.media;

import java.io.InputStream;
import java.net.URL;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import dev.switchboard.history.MediaLinks;

/** MMS media in S3: the only bean that talks to S3. */
@ApplicationScoped
public class MediaStore implements MediaLinks {

    private static final Logger LOG = Logger.getLogger(MediaStore.class);

    private final S3Client s3;
    private final S3Presigner presigner;
    private final MediaConfig config;

    MediaStore(S3Client s3, S3Presigner presigner, MediaConfig config) {
        this.s3 = s3;
        this.presigner = presigner;
        this.config = config;
    }

    /** Streams {@code length} bytes into the bucket under {@code key}. */
    public void put(String key, String contentType, long length, InputStream content) {
        s3.putObject(PutObjectRequest.builder().bucket(config.bucket()).key(key).contentType(contentType)
                .contentLength(length).build(), RequestBody.fromInputStream(content, length));
    }

    @Override
    public URL presignedGet(String key) {
        return presigner.presignGetObject(request -> request.signatureDuration(config.presignedUrlTtl())
                .getObjectRequest(get -> get.bucket(config.bucket()).key(key))).url();
    }

    /** Fails unless S3 answers and the bucket exists. */
    @Timeout(3_000)
    public void ping() {
        s3.headBucket(request -> request.bucket(config.bucket()));
    }

    /** Creates the bucket unless it exists. Only for local runs and tests: production buckets come from infra. */
    public void createBucketIfMissing() {
        try {
            s3.headBucket(request -> request.bucket(config.bucket()));
            return;
        } catch (NoSuchBucketException missing) {
            // create it below
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
        try {
            s3.createBucket(request -> request.bucket(config.bucket()));
            LOG.infof("created bucket %s", config.bucket());
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException createdMeanwhile) {
            // Instances starting together race to create it; the one that lost finds it there, as wanted.
            LOG.debugf("bucket %s was created by another instance", config.bucket());
        }
    }
}
