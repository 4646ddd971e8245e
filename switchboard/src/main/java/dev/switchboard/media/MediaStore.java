package dev.switchboard.media;

import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import dev.switchboard.history.MediaLinks;

/** MMS media and agents' uploads in S3: the only bean that talks to S3. */
@ApplicationScoped
public class MediaStore implements MediaLinks {

    private static final Logger LOG = Logger.getLogger(MediaStore.class);
    /** User metadata ({@code x-amz-meta-uploaded-by}) naming the agent who uploaded a picture. */
    static final String UPLOADER = "uploaded-by";

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

    /** Stores an agent's upload under {@code key}, with who uploaded it as the object's metadata. */
    public void putUpload(String key, String contentType, byte[] content, String uploader) {
        s3.putObject(
                PutObjectRequest.builder().bucket(config.bucket()).key(key).contentType(contentType)
                        .contentLength((long) content.length).metadata(Map.of(UPLOADER, uploader)).build(),
                RequestBody.fromBytes(content));
    }

    /** What S3 holds under {@code key}: an upload's type, size and uploader. */
    public record Stored(String contentType, long size, String uploader) {
    }

    /** The object under {@code key}, if there is one. */
    public Optional<Stored> head(String key) {
        try {
            HeadObjectResponse head = s3.headObject(request -> request.bucket(config.bucket()).key(key));
            return Optional.of(new Stored(head.contentType(), head.contentLength(), head.metadata().get(UPLOADER)));
        } catch (NoSuchKeyException missing) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public URL presignedGet(String key) {
        return presignedGet(key, config.presignedUrlTtl());
    }

    /** A presigned GET valid for {@code ttl}. */
    public URL presignedGet(String key, Duration ttl) {
        return presigner.presignGetObject(
                request -> request.signatureDuration(ttl).getObjectRequest(get -> get.bucket(config.bucket()).key(key)))
                .url();
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
