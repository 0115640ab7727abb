"""Records: creative works (text, image, audio, video), their immutable versions, media files,
renditions and processing jobs. Filled by the records issue.
"""
