FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml README.md ./
COPY domain ./domain
COPY infra ./infra
COPY service ./service
COPY seeds ./seeds
RUN pip install --no-cache-dir . && useradd --create-home claimtrail
USER claimtrail
EXPOSE 8000
CMD ["claimtrail", "serve", "--host", "0.0.0.0", "--port", "8000"]
